package org.cnnsimplifier.system;

import java.util.List;
import org.springframework.security.authentication.AbstractAuthenticationToken;
import org.springframework.security.core.authority.SimpleGrantedAuthority;

/**
 * An API key as presented in the request header (not yet authenticated), or the {@link Owner} it
 * belongs to once {@link ApiKeyAuthenticationProvider} accepted it.
 */
final class ApiKeyAuthentication extends AbstractAuthenticationToken {
  private final String key;
  private final Owner owner;

  private ApiKeyAuthentication(String key, Owner owner) {
    super(owner == null ? List.of() : List.of(new SimpleGrantedAuthority("ROLE_OWNER")));
    this.key = key;
    this.owner = owner;
    setAuthenticated(owner != null);
  }

  static ApiKeyAuthentication presented(String key) {
    return new ApiKeyAuthentication(key, null);
  }

  static ApiKeyAuthentication of(Owner owner) {
    return new ApiKeyAuthentication(null, owner);
  }

  /** The key as sent; null once authenticated, so it is not kept around. */
  @Override
  public Object getCredentials() {
    return key;
  }

  /** The owner once authenticated, else null. */
  @Override
  public Object getPrincipal() {
    return owner;
  }

  @Override
  public String getName() {
    return owner == null ? "" : owner.name();
  }
}
