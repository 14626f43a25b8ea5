package dev.cryo.endpoint;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Marks the method of a {@link CryoPlugin @CryoPlugin} bean that receives binary messages (at most
 * one in the application), with the requirements of its {@link Requires @Requires}. Parameters:
 * {@link java.nio.ByteBuffer} (a read-only view of the message), {@link EndpointConnection},
 * {@link Notifier}, {@link Multicaster}, {@link ConnectionSettings}. A message whose requirements
 * are not met is dropped and the connection is notified with type {@value #REJECTED_TYPE}. Over
 * Cryo, a binary message is claimed only when a binary handler exists; otherwise it is published
 * as an event as before.
 */
@Target(ElementType.METHOD)
@Retention(RetentionPolicy.RUNTIME)
@Documented
public @interface BinaryHandler {

	/** The notification type sent when a binary message's requirements are not met. */
	String REJECTED_TYPE = "binary-rejected";

}
