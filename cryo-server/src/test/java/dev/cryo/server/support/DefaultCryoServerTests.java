package dev.cryo.server.support;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Supplier;

import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;

import dev.cryo.core.SessionId;
import dev.cryo.core.frame.BinaryDataFrame;
import dev.cryo.server.BroadcastResult;
import dev.cryo.server.CryoSession;
import dev.cryo.server.CryoSessionAttribute;
import dev.cryo.server.SessionSelector;
import dev.cryo.server.cluster.ClusterBroadcaster;
import dev.cryo.server.cluster.ClusterMessage;
import dev.cryo.server.cluster.LocalDelivery;
import dev.cryo.server.cluster.LocalSessionDirectory;
import dev.cryo.server.cluster.SessionDirectory;
import dev.cryo.server.support.InMemoryServer.Peer;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * What {@link DefaultCryoServer} does with its seams: multicasts by selector and broadcasts go
 * through the cluster broadcaster, session ids are claimed in the session directory.
 */
class DefaultCryoServerTests {

	private static final CryoSessionAttribute<String> ROOM = CryoSessionAttribute.of("room", String.class);

	@Test
	void multicastBySelectorReachesTheSelectedOpenSessionsOfThisNode() {
		try (InMemoryServer memory = new InMemoryServer()) {
			Peer lobby = memory.connect(1);
			Peer kitchen = memory.connect(2);
			lobby.session().setAttribute(ROOM, "lobby");
			kitchen.session().setAttribute(ROOM, "kitchen");
			BroadcastResult result = memory.server().multicastUtf8(SessionSelector.attribute(ROOM, "lobby"), "hi");
			assertThat(result.localDeliveries()).containsOnlyKeys(lobby.session());
			assertThat(result.remoteDeliveries()).isZero();
			assertThat(lobby.receivedUtf8()).containsExactly("hi");
			assertThat(kitchen.receivedUtf8()).isEmpty();
		}
	}

	@Test
	void binaryMulticastGivesEachSessionAllTheBytesAndLeavesThePayloadUntouched() {
		try (InMemoryServer memory = new InMemoryServer()) {
			Peer one = memory.connect(1);
			Peer two = memory.connect(2);
			ByteBuffer payload = ByteBuffer.wrap("shared".getBytes(StandardCharsets.UTF_8));
			BroadcastResult result = memory.server().multicastBinary(SessionSelector.all(), payload);
			assertThat(result.delivered()).isEqualTo(2);
			assertThat(payload.remaining()).isEqualTo(6);
			for (Peer peer : List.of(one, two)) {
				assertThat(peer.received()).filteredOn(BinaryDataFrame.class::isInstance)
					.singleElement()
					.satisfies((frame) -> assertThat(((BinaryDataFrame) frame).payload().remaining()).isEqualTo(6));
			}
		}
	}

	@Test
	void multicastsAndBroadcastsGoThroughTheClusterBroadcaster() {
		Recording broadcaster = new Recording();
		try (InMemoryServer memory = new InMemoryServer((builder) -> builder.clusterBroadcaster(broadcaster))) {
			Peer peer = memory.connect(1);
			BroadcastResult result = memory.server().multicastUtf8(SessionSelector.id(1), "to one");
			Map<CryoSession, CompletableFuture<Void>> broadcast = memory.server().broadcastUtf8("to all");
			assertThat(broadcaster.selectors).containsExactly(SessionSelector.id(1), SessionSelector.all());
			assertThat(broadcaster.attached).hasSize(1);
			assertThat(result.remoteDeliveries()).isEqualTo(5);
			assertThat(result.delivered()).isEqualTo(6);
			assertThat(broadcast).containsOnlyKeys(peer.session());
			assertThat(peer.receivedUtf8()).containsExactly("to one", "to all");
		}
	}

	@Test
	void predicateMulticastsStayOnThisNode() {
		Recording broadcaster = new Recording();
		try (InMemoryServer memory = new InMemoryServer((builder) -> builder.clusterBroadcaster(broadcaster))) {
			Peer peer = memory.connect(1);
			memory.server().multicastUtf8((session) -> true, "local");
			assertThat(broadcaster.selectors).isEmpty();
			assertThat(peer.receivedUtf8()).containsExactly("local");
		}
	}

	@Test
	void sessionIdsAreClaimedInTheDirectoryAndReleasedOnceWhenTheSessionEnds() {
		RecordingDirectory directory = new RecordingDirectory();
		try (InMemoryServer memory = new InMemoryServer((builder) -> builder.sessionDirectory(directory))) {
			Peer peer = memory.connect(7);
			assertThat(directory.calls).containsExactly("reserve 7");
			peer.session().destroy();
			assertThat(directory.calls).containsExactly("reserve 7", "release 7");
			assertThat(memory.server().sessionRegistry().size()).isZero();
		}
	}

	@Test
	void anIdTheDirectoryRefusesIsADuplicate() {
		RecordingDirectory directory = new RecordingDirectory();
		directory.refuse = true;
		try (InMemoryServer memory = new InMemoryServer((builder) -> builder.sessionDirectory(directory))) {
			assertThat(memory.server().sessionRegistry().reserve(SessionId.of(7))).isNull();
			assertThat(memory.server().sessionRegistry().size()).isZero();
		}
	}

	@Test
	void aLocalDuplicateIsRefusedWithoutAskingTheDirectory() {
		RecordingDirectory directory = new RecordingDirectory();
		try (InMemoryServer memory = new InMemoryServer((builder) -> builder.sessionDirectory(directory))) {
			memory.connect(7);
			assertThat(memory.server().sessionRegistry().reserve(SessionId.of(7))).isNull();
			assertThat(directory.calls).containsExactly("reserve 7");
		}
	}

	@Test
	void theHeartbeatRefreshesTheClaimsAndStaleReservationsAreReleasedInTheDirectory() {
		RecordingDirectory directory = new RecordingDirectory();
		try (InMemoryServer memory = new InMemoryServer((builder) -> builder.sessionDirectory(directory))) {
			memory.connect(7);
			CryoSessionRegistry registry = memory.server().sessionRegistry();
			registry.reserve(SessionId.of(8));
			registry.refreshClaims();
			registry.purgeStaleReservations(-1);
			assertThat(directory.calls).containsExactly("reserve 7", "reserve 8", "refresh 7", "refresh 8", "release 8");
		}
	}

	@Test
	void theServerShowsTheDirectoryTheIdsItHoldsSoThatTheyCanBeClaimedAgain() {
		RecordingDirectory directory = new RecordingDirectory();
		try (InMemoryServer memory = new InMemoryServer((builder) -> builder.sessionDirectory(directory))) {
			assertThat(directory.held).isNotNull();
			assertThat(directory.held.get()).isEmpty();
			Peer peer = memory.connect(7);
			memory.server().sessionRegistry().reserve(SessionId.of(8));
			assertThat(directory.held.get()).containsExactlyInAnyOrder(SessionId.of(7), SessionId.of(8));
			peer.session().destroy();
			assertThat(directory.held.get()).containsExactly(SessionId.of(8));
		}
	}

	@Test
	void aSendByIdReachesTheSessionThroughTheBroadcasterAndFailsForAnUnknownId() {
		try (InMemoryServer memory = new InMemoryServer()) {
			Peer peer = memory.connect(7);
			CompletableFuture<Void> sent = memory.server().sendUtf8(SessionId.of(7), "just you");
			memory.server().sendBinary(SessionId.of(7), ByteBuffer.wrap(new byte[] { 1, 2 }));
			assertThat(peer.receivedUtf8()).containsExactly("just you");
			assertThat(peer.received()).filteredOn(BinaryDataFrame.class::isInstance).hasSize(1);
			assertThat(sent).isNotDone();
			assertThat(memory.server().sendUtf8(SessionId.of(8), "nobody")).isCompletedExceptionally();
		}
	}

	@Test
	void aSingleNodeLocatesItsOwnSessionsAsLocalAndNoOther() {
		try (InMemoryServer memory = new InMemoryServer()) {
			Peer peer = memory.connect(7);
			assertThat(memory.server().locate(SessionId.of(7))).contains(LocalSessionDirectory.DEFAULT_NODE_ID);
			assertThat(memory.server().locate(SessionId.of(8))).isEmpty();
			peer.session().destroy();
			assertThat(memory.server().locate(SessionId.of(7))).isEmpty();
		}
	}

	@Test
	void locateAsksTheDirectory() {
		try (InMemoryServer memory = new InMemoryServer(
				(builder) -> builder.sessionDirectory(new LocalSessionDirectory("node-7")))) {
			memory.connect(7);
			assertThat(memory.server().locate(SessionId.of(7))).contains("node-7");
		}
	}

	/** A broadcaster that delivers locally and pretends five sessions elsewhere got the message. */
	private static final class Recording implements ClusterBroadcaster {

		private final List<SessionSelector> selectors = new CopyOnWriteArrayList<>();

		private final List<LocalDelivery> attached = new CopyOnWriteArrayList<>();

		@Override
		public void attach(LocalDelivery localDelivery) {
			this.attached.add(localDelivery);
		}

		@Override
		public BroadcastResult broadcast(SessionSelector selector, ClusterMessage message, LocalDelivery localDelivery) {
			this.selectors.add(selector);
			return new BroadcastResult(localDelivery.deliver(selector, message), 5);
		}

	}

	/** A directory that records its calls and grants or refuses every reservation. */
	private static final class RecordingDirectory implements SessionDirectory {

		private final List<String> calls = new CopyOnWriteArrayList<>();

		private final LocalSessionDirectory index = new LocalSessionDirectory();

		private boolean refuse;

		private @Nullable Supplier<? extends Collection<SessionId>> held;

		@Override
		public void attach(Supplier<? extends Collection<SessionId>> heldIds) {
			this.held = heldIds;
		}

		@Override
		public boolean reserve(SessionId sessionId) {
			this.calls.add("reserve " + sessionId);
			return !this.refuse;
		}

		@Override
		public void refresh(SessionId sessionId) {
			this.calls.add("refresh " + sessionId);
		}

		@Override
		public void release(SessionId sessionId) {
			this.calls.add("release " + sessionId);
		}

		@Override
		public Optional<String> locate(SessionId sessionId) {
			return Optional.empty();
		}

		@Override
		public void join(SessionId sessionId, String group) {
			this.calls.add("join " + sessionId + " " + group);
			this.index.join(sessionId, group);
		}

		@Override
		public void leave(SessionId sessionId, String group) {
			this.calls.add("leave " + sessionId + " " + group);
			this.index.leave(sessionId, group);
		}

		@Override
		public Set<SessionId> members(String group) {
			this.calls.add("members " + group);
			return this.index.members(group);
		}

		@Override
		public int groupCount() {
			return this.index.groupCount();
		}

	}

}
