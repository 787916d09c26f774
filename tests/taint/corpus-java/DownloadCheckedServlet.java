package com.example.files;

import java.io.File;
import java.io.FileInputStream;
import java.io.IOException;
import java.io.InputStream;
import javax.servlet.annotation.WebServlet;
import javax.servlet.http.HttpServlet;
import javax.servlet.http.HttpServletRequest;
import javax.servlet.http.HttpServletResponse;

@WebServlet("/files/get")
public class DownloadCheckedServlet extends HttpServlet {

    private static final File BASE_DIR = new File("/srv/app/files");

    @Override
    protected void doGet(HttpServletRequest request, HttpServletResponse response) throws IOException {
        String fileName = String.valueOf(request.getParameter("file"));
        File target = new File(BASE_DIR, fileName);
        String basePath = BASE_DIR.getCanonicalPath() + File.separator;
        if (!target.getCanonicalPath().startsWith(basePath) || !target.isFile()) {
            response.sendError(HttpServletResponse.SC_FORBIDDEN);
            return;
        }
        response.setContentType("application/octet-stream");
        try (InputStream in = new FileInputStream(target)) {
            in.transferTo(response.getOutputStream());
        }
    }
}
