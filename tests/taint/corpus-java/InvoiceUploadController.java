package com.example.billing;

import java.util.ArrayList;
import java.util.List;
import javax.xml.parsers.SAXParser;
import javax.xml.parsers.SAXParserFactory;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.multipart.MultipartFile;
import org.xml.sax.Attributes;
import org.xml.sax.helpers.DefaultHandler;

@RestController
public class InvoiceUploadController {

    static class LineCollector extends DefaultHandler {
        final List<String> items = new ArrayList<>();
        private final StringBuilder text = new StringBuilder();

        @Override
        public void startElement(String uri, String local, String qName, Attributes atts) {
            text.setLength(0);
        }

        @Override
        public void characters(char[] ch, int start, int length) {
            text.append(ch, start, length);
        }

        @Override
        public void endElement(String uri, String local, String qName) {
            if ("item".equals(qName)) {
                items.add(text.toString().trim());
            }
        }
    }

    @PostMapping("/invoices/upload")
    public List<String> upload(@RequestParam("file") MultipartFile file) throws Exception {
        SAXParserFactory factory = SAXParserFactory.newInstance();
        SAXParser parser = factory.newSAXParser();
        LineCollector collector = new LineCollector();
        parser.parse(file.getInputStream(), collector);
        return collector.items;
    }
}
