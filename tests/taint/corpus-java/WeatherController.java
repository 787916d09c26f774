package com.example.weather;

import java.util.Map;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.client.RestTemplate;
import org.springframework.web.util.UriComponentsBuilder;

@RestController
public class WeatherController {

    private final RestTemplate rest = new RestTemplate();

    @GetMapping("/weather")
    @SuppressWarnings("unchecked")
    public Map<String, Object> weather(@RequestParam(defaultValue = "Berlin") String city) {
        String url = UriComponentsBuilder.fromHttpUrl("https://api.weather.example.com/v2/current")
                .queryParam("city", city)
                .queryParam("units", "metric")
                .encode()
                .toUriString();
        return rest.getForObject(url, Map.class);
    }
}
