package dev.cryo.endpoint.support;

import java.security.Principal;
import java.util.Collection;
import java.util.List;

/**
 * Tells the authorities of a principal, for {@link dev.cryo.endpoint.Requires#authorities()}. The
 * Boot auto-configuration supplies one that reads a Spring Security {@code Authentication}'s
 * granted authorities when Spring Security is present.
 */
@FunctionalInterface
public interface AuthorityResolver {

	/** Knows no authorities: every authority requirement fails. */
	AuthorityResolver NONE = (principal) -> List.of();

	/**
	 * Returns the principal's authorities.
	 * @param principal the principal
	 * @return its authorities, e.g. {@code ROLE_ADMIN}
	 */
	Collection<String> authoritiesOf(Principal principal);

}
