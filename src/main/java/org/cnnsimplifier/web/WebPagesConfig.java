package org.cnnsimplifier.web;

import org.springframework.context.annotation.Configuration;
import org.springframework.http.CacheControl;
import org.springframework.web.servlet.config.annotation.ResourceHandlerRegistry;
import org.springframework.web.servlet.config.annotation.WebMvcConfigurer;

/**
 * Serves the pages with {@code Cache-Control: no-cache}: browsers revalidate every file on each
 * load (a cheap 304 when unchanged), so after an upgrade no page mixes new and stale modules.
 */
@Configuration(proxyBeanMethods = false)
class WebPagesConfig implements WebMvcConfigurer {

  @Override
  public void addResourceHandlers(ResourceHandlerRegistry registry) {
    registry
        .addResourceHandler("/**")
        .addResourceLocations("classpath:/static/")
        .setCacheControl(CacheControl.noCache());
  }
}
