package dev.cryo.server;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.util.Map;
import java.util.Set;

import org.junit.jupiter.api.Test;

import dev.cryo.core.SessionId;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

/** Which sessions each {@link SessionSelector} chooses, and that it survives serialization. */
class SessionSelectorTests {

	private static final CryoSessionAttribute<String> ROOM = CryoSessionAttribute.of("room", String.class);

	private final CryoSession lobby = StubSession.of(1, Map.of("room", "lobby"));

	private final CryoSession kitchen = StubSession.of(-1, Map.of("room", "kitchen"));

	private final CryoSession nowhere = StubSession.of(3, Map.of());

	private final CryoSession chatter = StubSession.of(4, Map.of(), Set.of("chat", "news"));

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
	void byGroupSelectsTheMembersOfTheGroup() {
		SessionSelector chat = SessionSelector.group("chat");
		assertThat(chat.matches(this.chatter)).isTrue();
		assertThat(chat.matches(this.lobby)).isFalse();
		assertThat(SessionSelector.group("news").matches(this.chatter)).isTrue();
	}

	@Test
	void byGroupNeedsAName() {
		assertThatIllegalArgumentException().isThrownBy(() -> SessionSelector.group(""));
	}

	@Test
	void exceptLeavesOutOneSessionByIdOrBySession() {
		CryoSession other = StubSession.of(5, Map.of(), Set.of("chat"));
		SessionSelector others = SessionSelector.group("chat").except(this.chatter);
		assertThat(others.matches(this.chatter)).isFalse();
		assertThat(others.matches(other)).isTrue();
		assertThat(others).isEqualTo(SessionSelector.group("chat").except(SessionId.of(4)));
		assertThat(SessionSelector.all().except(SessionId.of(1)).matches(this.lobby)).isFalse();
		assertThat(SessionSelector.all().except(SessionId.of(1)).matches(this.nowhere)).isTrue();
	}

	@Test
	void exceptsNestAndReadAsTheyWereWritten() {
		SessionSelector selector = SessionSelector.group("chat").except(SessionId.of(4)).except(SessionId.of(5));
		assertThat(selector.matches(this.chatter)).isFalse();
		assertThat(selector.matches(StubSession.of(5, Map.of(), Set.of("chat")))).isFalse();
		assertThat(selector.matches(StubSession.of(6, Map.of(), Set.of("chat")))).isTrue();
		assertThat(selector).hasToString("ByGroup[name=chat].except(4).except(5)");
	}

	@Test
	void everyKindSurvivesSerializationUnchanged() throws Exception {
		for (SessionSelector selector : new SessionSelector[] { SessionSelector.all(), SessionSelector.id(-5),
				SessionSelector.attribute(ROOM, "lobby"), SessionSelector.attribute("level", 3),
				SessionSelector.group("chat"), SessionSelector.group("chat").except(SessionId.of(4)),
				SessionSelector.attribute(ROOM, "lobby").except(SessionId.of(1)).except(SessionId.of(-1)) }) {
			SessionSelector copy = roundTrip(selector);
			assertThat(copy).isEqualTo(selector).isNotSameAs(selector);
			assertThat(copy.matches(this.lobby)).isEqualTo(selector.matches(this.lobby));
			assertThat(copy.matches(this.chatter)).isEqualTo(selector.matches(this.chatter));
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
