package dev.cryo.server.support;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

import org.junit.jupiter.api.Test;

import dev.cryo.core.frame.BinaryDataFrame;
import dev.cryo.server.CryoPrincipal;
import dev.cryo.server.SessionSelector;
import dev.cryo.server.event.CryoSessionConnectedEvent;
import dev.cryo.server.support.InMemoryServer.Peer;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Users as addresses: the principal of each session, the server's index by principal name, and
 * sending to a user.
 */
class DefaultCryoServerUserTests {

	private static final CryoPrincipal ALICE = new CryoPrincipal("alice");

	@Test
	void aSessionKnowsItsPrincipalAndAttributesAndItsEventsShowThem() {
		try (InMemoryServer memory = new InMemoryServer()) {
			Peer alice = memory.connect(1, ALICE);
			Peer nobody = memory.connect(2);
			assertThat(alice.session().principal()).isEqualTo(ALICE);
			assertThat(alice.session().authenticationAttributes()).containsEntry("tier", "gold");
			assertThat(nobody.session().principal()).isNull();
			assertThat(nobody.session().authenticationAttributes()).isEmpty();
			assertThat(memory.events(CryoSessionConnectedEvent.class))
				.anySatisfy((event) -> assertThat(event.getSession().principal()).isEqualTo(ALICE));
		}
	}

	@Test
	void sessionsOfAUserAreFoundByNameAndLeaveTheIndexWhenTheyEnd() {
		try (InMemoryServer memory = new InMemoryServer()) {
			Peer phone = memory.connect(1, ALICE);
			Peer laptop = memory.connect(2, ALICE);
			Peer bob = memory.connect(3, new CryoPrincipal("bob"));
			memory.connect(4);
			assertThat(memory.server().sessionsOf("alice")).containsExactlyInAnyOrder(phone.session(), laptop.session());
			assertThat(memory.server().sessionsOf("bob")).containsExactly(bob.session());
			assertThat(memory.server().sessionsOf("carol")).isEmpty();
			phone.close(1000, "gone");
			assertThat(memory.server().sessionsOf("alice")).containsExactly(memory.server().session(2).orElseThrow());
			laptop.close(1000, "gone");
			assertThat(memory.server().sessionsOf("alice")).isEmpty();
			assertThat(memory.server().sessionRegistry().sessionsOf("alice")).isEmpty();
		}
	}

	@Test
	void sendingToAUserReachesEachOfItsOpenSessionsAndNoOther() {
		try (InMemoryServer memory = new InMemoryServer()) {
			Peer phone = memory.connect(1, ALICE);
			Peer laptop = memory.connect(2, ALICE);
			Peer bob = memory.connect(3, new CryoPrincipal("bob"));
			assertThat(memory.server().sendUtf8ToUser("alice", "hi")).containsOnlyKeys(phone.session(), laptop.session());
			ByteBuffer payload = ByteBuffer.wrap("bytes".getBytes(StandardCharsets.UTF_8));
			assertThat(memory.server().sendBinaryToUser("alice", payload)).hasSize(2);
			assertThat(payload.remaining()).isEqualTo(5);
			assertThat(memory.server().multicastUtf8(SessionSelector.user("bob"), "yo").localDeliveries())
				.containsOnlyKeys(bob.session());
			assertThat(phone.receivedUtf8()).containsExactly("hi");
			assertThat(laptop.receivedUtf8()).containsExactly("hi");
			assertThat(laptop.received()).filteredOn(BinaryDataFrame.class::isInstance).hasSize(1);
			assertThat(bob.receivedUtf8()).containsExactly("yo");
			assertThat(memory.server().sendUtf8ToUser("carol", "anyone?")).isEmpty();
		}
	}

	@Test
	void theUserSelectorMatchesByPrincipalNameAndSurvivesSerialization() throws Exception {
		try (InMemoryServer memory = new InMemoryServer()) {
			Peer alice = memory.connect(1, ALICE);
			Peer nobody = memory.connect(2);
			SessionSelector selector = roundTrip(SessionSelector.user("alice"));
			assertThat(selector).isEqualTo(SessionSelector.user("alice"));
			assertThat(selector.matches(alice.session())).isTrue();
			assertThat(selector.matches(nobody.session())).isFalse();
		}
	}

	private static SessionSelector roundTrip(SessionSelector selector) throws Exception {
		ByteArrayOutputStream bytes = new ByteArrayOutputStream();
		try (ObjectOutputStream out = new ObjectOutputStream(bytes)) {
			out.writeObject(selector);
		}
		try (ObjectInputStream in = new ObjectInputStream(new ByteArrayInputStream(bytes.toByteArray()))) {
			return (SessionSelector) in.readObject();
		}
	}

}
