package dev.cryo.endpoint;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

import org.springframework.core.annotation.AliasFor;
import org.springframework.stereotype.Component;

/**
 * Marks a bean as a plugin of the endpoint layer: its {@link EndpointMapping @EndpointMapping}
 * methods become the endpoints {@code <plugin>:<endpoint>}, its
 * {@link OnSettingChanged @OnSettingChanged} methods listen to settings and its
 * {@link BinaryHandler @BinaryHandler} method (at most one in the application) receives binary
 * messages. The plugin's connection-scoped settings are declared by {@link #settings()}. Being a
 * {@link Component @Component}, a plugin is found by component scanning and may inject any bean:
 * that is what yoctopus calls the static endpoint argument.
 *
 * <pre class="code">
 * &#64;CryoPlugin(name = "greeter")
 * class GreeterPlugin {
 *
 *     &#64;EndpointMapping(endpoint = "hello", method = "read")
 *     Greeting hello(&#64;Valid Name request) {
 *         return new Greeting("Hello, " + request.name() + "!");
 *     }
 *
 * }
 * </pre>
 */
@Target(ElementType.TYPE)
@Retention(RetentionPolicy.RUNTIME)
@Documented
@Component
public @interface CryoPlugin {

	/**
	 * The plugin's name, the part before {@code :} in an endpoint address; letters, digits,
	 * {@code -} and {@code _}.
	 * @return the name
	 */
	@AliasFor("name")
	String value() default "";

	/**
	 * Alias for {@link #value()}.
	 * @return the name
	 */
	@AliasFor("value")
	String name() default "";

	/**
	 * The type of the plugin's connection-scoped settings: a record or JavaBean whose properties
	 * are the settings ({@code auth.authenticated} is the property {@code authenticated} of the
	 * {@code auth} plugin's type). Every connection starts with the type's defaults (a
	 * no-argument instance, or the JSON {@code {}} bound to it); a change is bound to the type
	 * strictly and validated with Bean Validation before it is applied. {@code Void} declares no
	 * settings.
	 * @return the settings type
	 */
	Class<?> settings() default Void.class;

}
