package com.example.http;

import java.io.InputStream;
import java.security.KeyStore;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

public class InternalSsl {
    public static SSLContext context(InputStream trustStore, char[] storePassword) throws Exception {
        KeyStore ks = KeyStore.getInstance("PKCS12");
        ks.load(trustStore, storePassword);
        TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        tmf.init(ks);
        SSLContext ctx = SSLContext.getInstance("TLSv1.3");
        ctx.init(null, tmf.getTrustManagers(), null);
        return ctx;
    }
}
