/**
 * Cross-cutting concerns of the service: errors as problem details, API-key security and owners,
 * the OpenAPI description, the clock. May use Spring; used by every web-facing module.
 */
package org.cnnsimplifier.system;
