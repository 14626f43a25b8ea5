package dev.cryo.server;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.util.Map;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

/** Which sessions each {@link SessionSelector} chooses, and that it survives serialization. */
class SessionSelectorTests {

	private static final CryoSessionAttribute<String> ROOM = CryoSessionAttribute.of("room", String.class);

	private final CryoSession lobby = StubSession.of(1, Map.of("room", "lobby"));

	private final CryoSession kitchen = StubSession.of(-1, Map.of("room", "kitchen"));

	private final CryoSession nowhere = StubSession.of(3, Map.of());

	@Test
	void allSelectsEverySession() {
		assertThat(SessionSelector.all().matches(this.lobby)).isTrue();
		assertThat(SessionSelector.all().matches(this.nowhere)).isTrue();
	}

	@Test
	void byIdSelectsTheSessionWithThatIdIncludingUnsignedOnes() {
		assertThat(SessionSelector.id(1).matches(this.lobby)).isTrue();
		assertThat(SessionSelector.id(1).matches(this.kitchen)).isFalse();
		assertThat(SessionSelector.id(-1).matches(this.kitchen)).isTrue();
		assertThat(SessionSelector.id(-1)).hasToString("ById[18446744073709551615]");
	}

	@Test
	void byAttributeSelectsSessionsWhoseAttributeEqualsTheValue() {
		SessionSelector inLobby = SessionSelector.attribute("room", "lobby");
		assertThat(inLobby.matches(this.lobby)).isTrue();
		assertThat(inLobby.matches(this.kitchen)).isFalse();
		assertThat(inLobby.matches(this.nowhere)).isFalse();
	}

	@Test
	void aTypedKeySelectsTheSameSessionsAsItsName() {
		assertThat(SessionSelector.attribute(ROOM, "lobby")).isEqualTo(SessionSelector.attribute("room", "lobby"));
		assertThat(SessionSelector.attribute(ROOM, "kitchen").matches(this.kitchen)).isTrue();
	}

	@Test
	void byAttributeNeedsANameAndAValue() {
		assertThatIllegalArgumentException().isThrownBy(() -> SessionSelector.attribute("", "lobby"));
	}

	@Test
	void everyKindSurvivesSerializationUnchanged() throws Exception {
		for (SessionSelector selector : new SessionSelector[] { SessionSelector.all(), SessionSelector.id(-5),
				SessionSelector.attribute(ROOM, "lobby"), SessionSelector.attribute("level", 3) }) {
			SessionSelector copy = roundTrip(selector);
			assertThat(copy).isEqualTo(selector).isNotSameAs(selector);
			assertThat(copy.matches(this.lobby)).isEqualTo(selector.matches(this.lobby));
		}
	}

	@Test
	void typedKeysSurviveSerializationUnchanged() throws Exception {
		assertThat(roundTrip(ROOM)).isEqualTo(ROOM);
	}

	@Test
	void aBroadcastResultCountsLocalAndRemoteRecipients() {
		BroadcastResult result = new BroadcastResult(Map.of(this.lobby, new java.util.concurrent.CompletableFuture<>()),
				4);
		assertThat(result.delivered()).isEqualTo(5);
		assertThat(BroadcastResult.local(Map.of()).delivered()).isZero();
	}

	@SuppressWarnings("unchecked")
	private static <T> T roundTrip(T value) throws IOException, ClassNotFoundException {
		ByteArrayOutputStream bytes = new ByteArrayOutputStream();
		try (ObjectOutputStream out = new ObjectOutputStream(bytes)) {
			out.writeObject(value);
		}
		try (ObjectInputStream in = new ObjectInputStream(new ByteArrayInputStream(bytes.toByteArray()))) {
			return (T) in.readObject();
		}
	}

}
