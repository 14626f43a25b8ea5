package dev.cryo.endpoint;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * What a connection must satisfy before an endpoint method or the binary handler runs; every
 * listed requirement must hold. On a type, it applies to every method of the plugin, in addition
 * to a method's own. A request that fails one is answered with {@code status:"error"} and
 * {@value #UNMET_MESSAGE} (and the handler does not run).
 */
@Target({ ElementType.METHOD, ElementType.TYPE })
@Retention(RetentionPolicy.RUNTIME)
@Documented
public @interface Requires {

	/** The error message of a request whose requirements are not met. */
	String UNMET_MESSAGE = "Requirements not met.";

	/**
	 * Settings equalities, each {@code "<plugin>.<setting>=<value>"}, the value read as JSON
	 * ({@code true}, {@code 3}, {@code "text"}) or, when it is not JSON, as a string:
	 * {@code "auth.authenticated=true"}.
	 * @return the equalities
	 */
	String[] settings() default {};

	/**
	 * Names of {@link RequirementCheck} beans, each asked in turn (they may answer
	 * asynchronously).
	 * @return the bean names
	 */
	String[] checks() default {};

	/**
	 * Authorities the connection's principal must all have (a Spring Security
	 * {@code Authentication}'s granted authorities); empty for none.
	 * @return the authorities
	 */
	String[] authorities() default {};

	/**
	 * Whether the connection must have a principal that is not
	 * {@link dev.cryo.server.CryoPrincipal#ANONYMOUS}.
	 * @return whether an authenticated principal is required
	 */
	boolean authenticated() default false;

}
