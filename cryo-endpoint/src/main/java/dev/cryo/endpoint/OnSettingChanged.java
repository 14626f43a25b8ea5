package dev.cryo.endpoint;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Marks a method of a {@link CryoPlugin @CryoPlugin} bean that runs when a connection's setting
 * changes: one setting ({@code plugin = "auth", setting = "authenticated"}) or every setting of a
 * plugin (no {@code setting}). It runs after the change is applied, on the thread that applied it,
 * once per change; parameters are resolved by type: {@link EndpointConnection},
 * {@link SettingChange}, {@link Notifier}, {@link Multicaster}, {@link ConnectionSettings}.
 */
@Target(ElementType.METHOD)
@Retention(RetentionPolicy.RUNTIME)
@Documented
public @interface OnSettingChanged {

	/**
	 * The plugin whose settings are listened to.
	 * @return the plugin name
	 */
	String plugin();

	/**
	 * The setting listened to; empty for every setting of the plugin.
	 * @return the setting name
	 */
	String setting() default "";

}
