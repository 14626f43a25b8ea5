package dev.cryo.endpoint;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Maps a method of a {@link CryoPlugin @CryoPlugin} bean to one method of one endpoint. A request
 * names it as {@code "meta":{"endpoint":"<plugin>:<endpoint>","method":"<method>"}} or by one of
 * the endpoint's aliases.
 *
 * <p>Parameters are resolved by type: {@link EndpointConnection}, {@link Notifier},
 * {@link Multicaster}, {@link ConnectionSettings}, {@link EndpointRequest},
 * {@link java.security.Principal} (the connection's principal, {@code null} when it has none),
 * {@link dev.cryo.server.CryoSession} (on the Cryo wire; {@code null} on the yoctopus wire), a
 * settings type declared by any plugin (that plugin's current settings of the connection); the
 * one remaining parameter is the request's {@code data}, bound by Jackson to a record, POJO,
 * {@code JsonNode}, {@code String}, number, boolean, list or map, and validated when annotated
 * {@link jakarta.validation.Valid @Valid} or with constraints. The return value is the response's
 * {@code data}: any value Jackson writes, an {@link EndpointResult} that also changes the plugin's
 * settings, a {@link java.util.concurrent.CompletionStage} of either, or nothing ({@code void}
 * answers {@code "data":null}).
 */
@Target(ElementType.METHOD)
@Retention(RetentionPolicy.RUNTIME)
@Documented
public @interface EndpointMapping {

	/**
	 * The endpoint's name within its plugin.
	 * @return the name
	 */
	String endpoint();

	/**
	 * The method's name: {@code read}, {@code create}, {@code update}, {@code delete} or any other.
	 * @return the method name
	 */
	String method() default "read";

	/**
	 * Other addresses of the endpoint, used instead of {@code <plugin>:<endpoint>} in a request;
	 * unique across the application. An alias belongs to the endpoint, so declaring it on one of
	 * its methods is enough.
	 * @return the aliases
	 */
	String[] aliases() default {};

}
