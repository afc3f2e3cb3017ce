package org.cnnsimplifier.system;

import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.context.annotation.Import;

/** The service's security (API keys), for web slice tests of other packages to import. */
@TestConfiguration(proxyBeanMethods = false)
@Import(ApiSecurity.class)
public class ApiSecurityForTests {}
