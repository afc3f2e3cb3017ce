package org.cnnsimplifier.system;

import io.swagger.v3.oas.models.Components;
import io.swagger.v3.oas.models.OpenAPI;
import io.swagger.v3.oas.models.info.Info;
import io.swagger.v3.oas.models.security.SecurityRequirement;
import io.swagger.v3.oas.models.security.SecurityScheme;
import org.springdoc.core.utils.SpringDocUtils;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** The OpenAPI description served at /v3/api-docs and shown by Swagger UI. */
@Configuration
class OpenApiConfig {
  static {
    // The owner comes from the API key, never from the request: no parameter, no body part.
    SpringDocUtils.getConfig().addRequestWrapperToIgnore(Owner.class);
  }

  @Bean
  OpenAPI cnnSimplifierOpenApi(SecurityProperties security) {
    return new OpenAPI()
        .info(
            new Info()
                .title("CNN Simplifier")
                .version("v1")
                .description(
                    "Makes convolutional neural networks smaller and faster: upload a trained CNN"
                        + " and an image data set, create a simplification job (layers, relevance"
                        + " criterion, strategy, policy, retraining), follow it layer by layer, and"
                        + " download the simplified model and its report. Errors are"
                        + " application/problem+json."))
        .components(
            new Components()
                .addSecuritySchemes(
                    "apiKey",
                    new SecurityScheme()
                        .type(SecurityScheme.Type.APIKEY)
                        .in(SecurityScheme.In.HEADER)
                        .name(security.header())))
        .addSecurityItem(new SecurityRequirement().addList("apiKey"));
  }
}
