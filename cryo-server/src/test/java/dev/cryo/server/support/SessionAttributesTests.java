package dev.cryo.server.support;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import org.junit.jupiter.api.Test;

import dev.cryo.server.CryoSession;
import dev.cryo.server.CryoSessionAttribute;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/** Typed session attributes: one store with the untyped map, and listeners with old and new values. */
class SessionAttributesTests {

	private static final CryoSessionAttribute<String> ROOM = CryoSessionAttribute.of("room", String.class);

	private static final CryoSessionAttribute<Integer> LEVEL = CryoSessionAttribute.of("level", Integer.class);

	@Test
	void typedValuesAreReadBackWithoutACastAndShareTheUntypedMap() {
		try (InMemoryServer memory = new InMemoryServer()) {
			CryoSession session = memory.connect(1).session();
			assertThat(session.getAttribute(ROOM)).isNull();
			session.setAttribute(ROOM, "lobby");
			String room = session.getAttribute(ROOM);
			assertThat(room).isEqualTo("lobby");
			assertThat(session.attributes()).containsEntry("room", "lobby");
			session.setAttribute("level", 3);
			assertThat(session.getAttribute(LEVEL)).isEqualTo(3);
		}
	}

	@Test
	void removingReturnsTheValueAndSettingNullRemoves() {
		try (InMemoryServer memory = new InMemoryServer()) {
			CryoSession session = memory.connect(1).session();
			session.setAttribute(ROOM, "lobby");
			assertThat(session.removeAttribute(ROOM)).isEqualTo("lobby");
			assertThat(session.attributes()).doesNotContainKey("room");
			session.setAttribute(ROOM, "kitchen");
			session.setAttribute(ROOM, null);
			assertThat(session.getAttribute(ROOM)).isNull();
		}
	}

	@Test
	void aValueOfAnotherTypeUnderTheKeysNameIsAClassCastException() {
		try (InMemoryServer memory = new InMemoryServer()) {
			CryoSession session = memory.connect(1).session();
			session.setAttribute("level", "high");
			assertThatExceptionOfType(ClassCastException.class).isThrownBy(() -> session.getAttribute(LEVEL));
		}
	}

	@Test
	void listenersSeeTheOldAndTheNewValueOfEachChange() {
		try (InMemoryServer memory = new InMemoryServer()) {
			CryoSession session = memory.connect(1).session();
			List<String> changes = new CopyOnWriteArrayList<>();
			session.addAttributeListener(ROOM, (changed, oldValue, newValue) -> {
				assertThat(changed).isSameAs(session);
				changes.add(oldValue + " -> " + newValue);
			});
			session.setAttribute(ROOM, "lobby");
			session.setAttribute(ROOM, "lobby");
			session.setAttribute(ROOM, "kitchen");
			session.removeAttribute(ROOM);
			session.removeAttribute(ROOM);
			assertThat(changes).containsExactly("null -> lobby", "lobby -> kitchen", "kitchen -> null");
		}
	}

	@Test
	void listenersOfOtherKeysAndRemovedListenersAreNotTold() {
		try (InMemoryServer memory = new InMemoryServer()) {
			CryoSession session = memory.connect(1).session();
			List<Object> changes = new CopyOnWriteArrayList<>();
			CryoSessionAttribute.Listener<Object> listener = (changed, oldValue, newValue) -> changes.add(newValue);
			session.addAttributeListener(LEVEL, listener);
			session.setAttribute(ROOM, "lobby");
			session.setAttribute(LEVEL, 1);
			session.removeAttributeListener(LEVEL, listener);
			session.setAttribute(LEVEL, 2);
			assertThat(changes).containsExactly(1);
		}
	}

	@Test
	void changesMadeOnTheUntypedMapAreNotReported() {
		try (InMemoryServer memory = new InMemoryServer()) {
			CryoSession session = memory.connect(1).session();
			List<Object> changes = new CopyOnWriteArrayList<>();
			session.addAttributeListener(ROOM, (changed, oldValue, newValue) -> changes.add(newValue));
			session.setAttribute("room", "lobby");
			session.attributes().put("room", "kitchen");
			assertThat(changes).isEmpty();
			assertThat(session.getAttribute(ROOM)).isEqualTo("kitchen");
		}
	}

	@Test
	void aListenerThatThrowsDoesNotKeepTheOthersFromBeingTold() {
		try (InMemoryServer memory = new InMemoryServer()) {
			CryoSession session = memory.connect(1).session();
			List<String> changes = new CopyOnWriteArrayList<>();
			session.addAttributeListener(ROOM, (changed, oldValue, newValue) -> {
				throw new IllegalStateException("broken");
			});
			session.addAttributeListener(ROOM, (changed, oldValue, newValue) -> changes.add(newValue));
			session.setAttribute(ROOM, "lobby");
			assertThat(changes).containsExactly("lobby");
			assertThat(session.getAttribute(ROOM)).isEqualTo("lobby");
		}
	}

}
