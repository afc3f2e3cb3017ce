package org.cnnsimplifier.system;

import org.springframework.context.annotation.Configuration;
import org.springframework.http.converter.HttpMessageConverters;
import org.springframework.http.converter.json.JacksonJsonHttpMessageConverter;
import org.springframework.web.servlet.config.annotation.WebMvcConfigurer;
import tools.jackson.databind.DeserializationFeature;
import tools.jackson.databind.json.JsonMapper;

/**
 * Request bodies are read strictly: a field the request type does not have is an error (400 naming
 * it), so a typo such as {@code "epoch"} for {@code "epochs"} never runs a job with the defaults.
 * Only the HTTP layer is strict; documents the service stored itself are read by the application's
 * mapper, which tolerates fields a newer version added.
 */
@Configuration(proxyBeanMethods = false)
class StrictJson implements WebMvcConfigurer {
  private final JsonMapper mapper;

  StrictJson(JsonMapper mapper) {
    this.mapper = mapper;
  }

  @Override
  public void configureMessageConverters(HttpMessageConverters.ServerBuilder builder) {
    builder.withJsonConverter(
        new JacksonJsonHttpMessageConverter(
            mapper.rebuild().enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES).build()));
  }
}
