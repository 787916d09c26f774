package com.example.session;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.Base64;

public class SessionCodec {
    private final ObjectMapper mapper = new ObjectMapper();

    public SessionData decode(String cookieValue) throws Exception {
        byte[] data = Base64.getDecoder().decode(cookieValue);
        return mapper.readValue(data, SessionData.class);
    }

    public record SessionData(String userId, long issuedAt) {}
}
