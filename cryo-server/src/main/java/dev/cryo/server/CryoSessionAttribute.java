package dev.cryo.server;

import java.io.Serializable;

import org.jspecify.annotations.Nullable;
import org.springframework.util.Assert;

/**
 * A typed key of a session attribute, in the style of Netty's {@code AttributeKey}: declare it
 * once as a constant and read and write the value without casts through
 * {@link CryoSession#getAttribute(CryoSessionAttribute)},
 * {@link CryoSession#setAttribute(CryoSessionAttribute, Object)} and
 * {@link CryoSession#removeAttribute(CryoSessionAttribute)}.
 *
 * <pre class="code">
 * static final CryoSessionAttribute&lt;String&gt; ROOM = CryoSessionAttribute.of("room", String.class);
 *
 * session.setAttribute(ROOM, "lobby");
 * server.multicastUtf8(SessionSelector.attribute(ROOM, "lobby"), "hello, lobby");
 * </pre>
 *
 * <p>Typed attributes are stored in the session's {@linkplain CryoSession#attributes() attribute
 * map} under the key's name, so untyped code sees them too. Two keys are equal when their names
 * and types are; a key is serializable, so it can be part of a {@link SessionSelector}.
 *
 * @param <T> the type of the value
 * @param name the name the value is stored under
 * @param type the type of the value
 */
public record CryoSessionAttribute<T>(String name, Class<T> type) implements Serializable {

	public CryoSessionAttribute {
		Assert.hasText(name, "'name' must not be empty");
		Assert.notNull(type, "'type' must not be null");
	}

	/**
	 * Creates a key.
	 * @param <T> the type of the value
	 * @param name the name the value is stored under
	 * @param type the type of the value
	 * @return the key
	 */
	public static <T> CryoSessionAttribute<T> of(String name, Class<T> type) {
		return new CryoSessionAttribute<>(name, type);
	}

	/**
	 * Told when the value of a typed attribute of a session changes through the typed methods
	 * of {@link CryoSession}. Runs on the thread that made the change.
	 *
	 * @param <T> the type of the value
	 */
	@FunctionalInterface
	public interface Listener<T> {

		/**
		 * The value changed.
		 * @param session the session whose attribute changed
		 * @param oldValue the previous value, {@code null} if there was none
		 * @param newValue the new value, {@code null} if it was removed
		 */
		void attributeChanged(CryoSession session, @Nullable T oldValue, @Nullable T newValue);

	}

}
