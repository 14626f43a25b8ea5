package dev.cryo.server;

import dev.cryo.core.SessionId;
import java.io.Serializable;
import java.security.Principal;

import org.springframework.util.Assert;

/**
 * Chooses the recipients of a multicast without a lambda, so that the choice can travel to other
 * nodes of a cluster: every session, one session by id, the sessions whose attribute has a
 * given value, the sessions of one user, or the members of a
 * {@linkplain CryoSession#join(String) group}; any of them {@linkplain #except(SessionId) but one
 * session}. Each kind is a record; more kinds may be
 * added.
 *
 * <p>Use it with {@link CryoServer#multicastUtf8(SessionSelector, String)} and
 * {@link CryoServer#multicastBinary(SessionSelector, java.nio.ByteBuffer)}; a
 * {@link java.util.function.Predicate} reaches this node's sessions only.
 */
public sealed interface SessionSelector extends Serializable
		permits SessionSelector.All, SessionSelector.ById, SessionSelector.ByAttribute, SessionSelector.ByUser,
		SessionSelector.ByGroup, SessionSelector.Except {

	/**
	 * Returns whether a session is one of the recipients.
	 * @param session a live session of this node
	 * @return whether it is selected
	 */
	boolean matches(CryoSession session);

	/**
	 * Selects every session.
	 * @return the selector
	 */
	static SessionSelector all() {
		return All.INSTANCE;
	}

	/**
	 * Selects the session with the given id.
	 * @param id the session id
	 * @return the selector
	 */
	static SessionSelector id(SessionId id) {
		return new ById(id);
	}

	/**
	 * Selects the session with the given numeric (Cryo v1) id.
	 * @param id the session id, an unsigned 64-bit value
	 * @return the selector
	 */
	static SessionSelector id(long id) {
		return new ById(SessionId.of(id));
	}

	/**
	 * Selects the sessions whose {@linkplain CryoSession#attributes() attribute} of the given
	 * name equals the value.
	 * @param name the attribute name
	 * @param value the value, compared with {@code equals}
	 * @return the selector
	 */
	static SessionSelector attribute(String name, Serializable value) {
		return new ByAttribute(name, value);
	}

	/**
	 * Selects the sessions whose typed attribute equals the value. Typed attributes share the
	 * attribute map, so this is the same selector as {@code attribute(key.name(), value)}.
	 * @param <T> the attribute type
	 * @param key the attribute key
	 * @param value the value, compared with {@code equals}
	 * @return the selector
	 */
	static <T extends Serializable> SessionSelector attribute(CryoSessionAttribute<T> key, T value) {
		return new ByAttribute(key.name(), value);
	}

	/**
	 * Selects the sessions whose {@linkplain CryoSession#principal() principal} has the given
	 * name; the server finds them in its index by name rather than by asking every session.
	 * @param principalName the name, as {@link Principal#getName()} gives it
	 * @return the selector
	 */
	static SessionSelector user(String principalName) {
		return new ByUser(principalName);
	}

	/**
	 * Selects the members of a group. A server finds them through its membership index, so the
	 * cost of the delivery follows the size of the group, not the number of sessions.
	 * @param name the group name
	 * @return the selector
	 * @see CryoSession#join(String)
	 */
	static SessionSelector group(String name) {
		return new ByGroup(name);
	}

	/**
	 * Returns a selector that chooses what this one does but the session with the given id:
	 * typically the sender of a message that goes to everyone else in its group,
	 * {@code group("chat").except(sender.id())}.
	 * @param excluded the id of the session left out
	 * @return the selector
	 */
	default SessionSelector except(SessionId excluded) {
		return new Except(this, excluded);
	}

	/**
	 * Returns a selector that chooses what this one does but the given session; the same as
	 * {@code except(session.id())}, so it travels to other nodes as the id alone.
	 * @param excluded the session left out
	 * @return the selector
	 */
	default SessionSelector except(CryoSession excluded) {
		Assert.notNull(excluded, "'excluded' must not be null");
		return except(excluded.id());
	}

	/** Every session. */
	record All() implements SessionSelector {

		private static final All INSTANCE = new All();

		@Override
		public boolean matches(CryoSession session) {
			return true;
		}

	}

	/**
	 * The session with one id.
	 * @param id the session id
	 */
	record ById(SessionId id) implements SessionSelector {

		@Override
		public boolean matches(CryoSession session) {
			return this.id.equals(session.id());
		}

		@Override
		public String toString() {
			return "ById[" + this.id + "]";
		}

	}

	/**
	 * The sessions whose attribute of one name equals a value.
	 * @param name the attribute name
	 * @param value the value
	 */
	record ByAttribute(String name, Serializable value) implements SessionSelector {

		public ByAttribute {
			Assert.hasText(name, "'name' must not be empty");
			Assert.notNull(value, "'value' must not be null");
		}

		@Override
		public boolean matches(CryoSession session) {
			return this.value.equals(session.attributes().get(this.name));
		}

	}

	/**
	 * The sessions of one user: those whose principal has the name.
	 * @param name the principal's name
	 */
	record ByUser(String name) implements SessionSelector {

		public ByUser {
			Assert.notNull(name, "'name' must not be null");
		}

		@Override
		public boolean matches(CryoSession session) {
			Principal principal = session.principal();
			return (principal != null) && this.name.equals(principal.getName());
		}

	}

	/**
	 * The members of one group.
	 * @param name the group name
	 */
	record ByGroup(String name) implements SessionSelector {

		public ByGroup {
			Assert.hasLength(name, "'name' must not be empty");
		}

		@Override
		public boolean matches(CryoSession session) {
			return session.groups().contains(this.name);
		}

	}

	/**
	 * What another selector chooses, but one session.
	 * @param selector the selector whose choice is narrowed
	 * @param excluded the id of the session left out
	 */
	record Except(SessionSelector selector, SessionId excluded) implements SessionSelector {

		public Except {
			Assert.notNull(selector, "'selector' must not be null");
			Assert.notNull(excluded, "'excluded' must not be null");
		}

		@Override
		public boolean matches(CryoSession session) {
			return !this.excluded.equals(session.id()) && this.selector.matches(session);
		}

		@Override
		public String toString() {
			return this.selector + ".except(" + this.excluded + ")";
		}

	}

}
