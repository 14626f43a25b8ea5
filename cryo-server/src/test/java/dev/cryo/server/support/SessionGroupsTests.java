package dev.cryo.server.support;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;

import org.junit.jupiter.api.Test;

import dev.cryo.core.SessionId;
import dev.cryo.core.engine.SessionOptions;
import dev.cryo.core.frame.BinaryDataFrame;
import dev.cryo.server.BroadcastResult;
import dev.cryo.server.CryoGroup;
import dev.cryo.server.CryoServerSettings;
import dev.cryo.server.CryoSession;
import dev.cryo.server.GroupLimits;
import dev.cryo.server.ReceiveLimits;
import dev.cryo.server.SessionSelector;
import dev.cryo.server.cluster.LocalSessionDirectory;
import dev.cryo.server.cluster.SessionDirectory;
import dev.cryo.server.event.CryoGroupJoinedEvent;
import dev.cryo.server.event.CryoGroupLeftEvent;
import dev.cryo.server.event.CryoSessionClosedEvent;
import dev.cryo.server.support.InMemoryServer.Peer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;

/**
 * Groups (rooms): what {@link CryoSession#join(String)} and {@link CryoSession#leave(String)}
 * change, the events they publish, the limits, the end of memberships with the session, and
 * how the server finds a group's members through the directory's index.
 */
class SessionGroupsTests {

	@Test
	void joinAndLeaveAreIdempotentAndPublishOneEventPerChange() {
		try (InMemoryServer memory = new InMemoryServer()) {
			CryoSession session = memory.connect(1).session();
			assertThat(session.join("chat")).isTrue();
			assertThat(session.join("chat")).isFalse();
			assertThat(session.leave("chat")).isTrue();
			assertThat(session.leave("chat")).isFalse();
			assertThat(session.leave("never")).isFalse();
			assertThat(memory.events(CryoGroupJoinedEvent.class)).singleElement().satisfies((event) -> {
				assertThat(event.session()).isSameAs(session);
				assertThat(event.group()).isEqualTo("chat");
			});
			assertThat(memory.events(CryoGroupLeftEvent.class)).singleElement().satisfies((event) -> {
				assertThat(event.group()).isEqualTo("chat");
				assertThat(event.sessionEnded()).isFalse();
			});
		}
	}

	@Test
	void groupsIsAnUnmodifiableSnapshotInJoinOrder() {
		try (InMemoryServer memory = new InMemoryServer()) {
			CryoSession session = memory.connect(1).session();
			assertThat(session.groups()).isEmpty();
			session.join("b");
			session.join("a");
			Set<String> groups = session.groups();
			session.join("c");
			assertThat(groups).containsExactly("b", "a");
			assertThat(session.groups()).containsExactly("b", "a", "c");
			assertThatExceptionOfType(UnsupportedOperationException.class).isThrownBy(() -> groups.add("d"));
		}
	}

	@Test
	void aGroupSendReachesItsMembersOnlyWithTheirSendFutures() {
		try (InMemoryServer memory = new InMemoryServer()) {
			Peer one = memory.connect(1);
			Peer two = memory.connect(2);
			Peer three = memory.connect(3);
			one.session().join("chat");
			two.session().join("chat");
			CryoGroup chat = memory.server().group("chat");
			Map<CryoSession, CompletableFuture<Void>> sent = chat.sendUtf8("hello room");
			assertThat(sent).containsOnlyKeys(one.session(), two.session());
			assertThat(chat.name()).isEqualTo("chat");
			assertThat(chat.size()).isEqualTo(2);
			assertThat(chat.sessions()).containsExactlyInAnyOrder(one.session(), two.session());
			assertThat(one.receivedUtf8()).containsExactly("hello room");
			assertThat(two.receivedUtf8()).containsExactly("hello room");
			assertThat(three.receivedUtf8()).isEmpty();
		}
	}

	@Test
	void exceptLeavesOneSessionOutOfANewViewAndTheOriginalUnchanged() {
		try (InMemoryServer memory = new InMemoryServer()) {
			Peer sender = memory.connect(1);
			Peer other = memory.connect(2);
			sender.session().join("chat");
			other.session().join("chat");
			CryoGroup chat = memory.server().group("chat");
			CryoGroup others = chat.except(sender.session());
			assertThat(others.sendUtf8("from 1")).containsOnlyKeys(other.session());
			assertThat(others.selector()).isEqualTo(SessionSelector.group("chat").except(sender.session()));
			assertThat(others.size()).isOne();
			assertThat(chat.size()).isEqualTo(2);
			assertThat(sender.receivedUtf8()).isEmpty();
			assertThat(other.receivedUtf8()).containsExactly("from 1");
		}
	}

	@Test
	void aBinaryGroupSendGivesEachMemberAllTheBytesAndLeavesThePayloadUntouched() {
		try (InMemoryServer memory = new InMemoryServer()) {
			Peer one = memory.connect(1);
			Peer two = memory.connect(2);
			one.session().join("chat");
			two.session().join("chat");
			ByteBuffer payload = ByteBuffer.wrap("shared".getBytes(StandardCharsets.UTF_8));
			assertThat(memory.server().group("chat").sendBinary(payload)).hasSize(2);
			assertThat(payload.remaining()).isEqualTo(6);
			for (Peer peer : List.of(one, two)) {
				assertThat(peer.received()).filteredOn(BinaryDataFrame.class::isInstance)
					.singleElement()
					.satisfies((frame) -> assertThat(((BinaryDataFrame) frame).payload().remaining()).isEqualTo(6));
			}
		}
	}

	@Test
	void aGroupSelectorReachesTheMembersThroughAMulticast() {
		try (InMemoryServer memory = new InMemoryServer()) {
			Peer member = memory.connect(1);
			Peer sender = memory.connect(2);
			Peer outsider = memory.connect(3);
			member.session().join("chat");
			sender.session().join("chat");
			BroadcastResult result = memory.server()
				.multicastUtf8(SessionSelector.group("chat").except(sender.session()), "psst");
			assertThat(result.localDeliveries()).containsOnlyKeys(member.session());
			assertThat(member.receivedUtf8()).containsExactly("psst");
			assertThat(sender.receivedUtf8()).isEmpty();
			assertThat(outsider.receivedUtf8()).isEmpty();
		}
	}

	@Test
	void aGroupIsResolvedThroughTheIndexNotByLookingAtEverySession() {
		// A directory that hides one member: if the server scanned its sessions, that member would get the message.
		HidingDirectory directory = new HidingDirectory(SessionId.of(2));
		try (InMemoryServer memory = new InMemoryServer((builder) -> builder.sessionDirectory(directory))) {
			Peer listed = memory.connect(1);
			Peer hidden = memory.connect(2);
			listed.session().join("chat");
			hidden.session().join("chat");
			assertThat(memory.server().group("chat").sendUtf8("indexed")).containsOnlyKeys(listed.session());
			assertThat(memory.server().multicastUtf8(SessionSelector.group("chat"), "again").localDeliveries())
				.containsOnlyKeys(listed.session());
			assertThat(hidden.receivedUtf8()).isEmpty();
			assertThat(directory.asked).containsExactly("chat", "chat");
		}
	}

	@Test
	void endingTheSessionEndsItsMembershipsWithLeftEventsBeforeTheClosedEvent() {
		RecordingDirectory directory = new RecordingDirectory();
		try (InMemoryServer memory = new InMemoryServer((builder) -> builder.sessionDirectory(directory))) {
			Peer peer = memory.connect(7);
			CryoSession session = peer.session();
			session.join("chat");
			session.join("news");
			session.destroy();
			assertThat(session.groups()).isEmpty();
			assertThat(memory.server().group("chat").size()).isZero();
			assertThat(directory.calls).containsExactly("join 7 chat", "join 7 news", "leave 7 chat", "leave 7 news",
					"release 7");
			List<String> ending = new ArrayList<>();
			for (Object event : memory.events()) {
				if (event instanceof CryoGroupLeftEvent left) {
					ending.add("left " + left.group() + (left.sessionEnded() ? " (session ended)" : ""));
				}
				else if (event instanceof CryoSessionClosedEvent) {
					ending.add("closed");
				}
			}
			assertThat(ending).containsExactly("left chat (session ended)", "left news (session ended)", "closed");
		}
	}

	@Test
	void aSessionThatEndedJoinsNothing() {
		try (InMemoryServer memory = new InMemoryServer()) {
			CryoSession session = memory.connect(1).session();
			session.destroy();
			assertThat(session.join("chat")).isFalse();
			assertThat(session.groups()).isEmpty();
			assertThat(memory.server().sessionRegistry().groupCount()).isZero();
			assertThat(memory.events(CryoGroupJoinedEvent.class)).isEmpty();
		}
	}

	@Test
	void aGroupNameMustNotBeEmptyNorLongerThanTheLimit() {
		try (InMemoryServer memory = new InMemoryServer(settings(new GroupLimits(8, 64)))) {
			CryoSession session = memory.connect(1).session();
			assertThat(session.join("12345678")).isTrue();
			assertThatIllegalArgumentException().isThrownBy(() -> session.join("123456789"))
				.withMessage("Group name of 9 characters is longer than 8 (cryo.groups.max-name-length)");
			assertThatIllegalArgumentException().isThrownBy(() -> session.join(""))
				.withMessage("Group name must not be empty");
			assertThatIllegalArgumentException().isThrownBy(() -> memory.server().group("123456789"));
			assertThat(session.groups()).containsExactly("12345678");
		}
	}

	@Test
	void aSessionJoinsNoMoreGroupsThanTheLimitAllows() {
		try (InMemoryServer memory = new InMemoryServer(settings(new GroupLimits(256, 2)))) {
			CryoSession session = memory.connect(1).session();
			session.join("a");
			session.join("b");
			assertThatIllegalStateException().isThrownBy(() -> session.join("c"))
				.withMessage("Cryo session 1 is in 2 groups, the most cryo.groups.max-per-session allows; "
						+ "it cannot join 'c'");
			assertThat(session.join("a")).as("a group it is in is no new membership").isFalse();
			session.leave("a");
			assertThat(session.join("c")).isTrue();
			assertThat(session.groups()).containsExactly("b", "c");
			assertThat(memory.server().group("a").size()).isZero();
		}
	}

	@Test
	void theRegistryCountsGroupsAndMemberships() {
		try (InMemoryServer memory = new InMemoryServer()) {
			CryoSession one = memory.connect(1).session();
			CryoSession two = memory.connect(2).session();
			one.join("chat");
			one.join("news");
			two.join("chat");
			CryoSessionRegistry registry = memory.server().sessionRegistry();
			assertThat(registry.groupCount()).isEqualTo(2);
			assertThat(registry.membershipCount()).isEqualTo(3);
			one.destroy();
			assertThat(registry.groupCount()).isOne();
			assertThat(registry.membershipCount()).isOne();
		}
	}

	@Test
	void concurrentJoinsLeavesAndTheEndOfTheSessionLeaveNothingInTheIndex() throws Exception {
		try (InMemoryServer memory = new InMemoryServer()) {
			CryoSession session = memory.connect(1).session();
			List<Thread> threads = new ArrayList<>();
			for (int t = 0; t < 4; t++) {
				String group = "room-" + t;
				Thread thread = new Thread(() -> {
					for (int i = 0; i < 2_000; i++) {
						session.join(group);
						session.leave(group);
					}
					session.join(group);
				});
				threads.add(thread);
				thread.start();
			}
			session.join("main");
			Thread.sleep(2);
			session.destroy();
			for (Thread thread : threads) {
				thread.join();
			}
			assertThat(session.groups()).isEmpty();
			assertThat(memory.server().sessionRegistry().groupCount()).isZero();
			long joined = memory.events(CryoGroupJoinedEvent.class).size();
			long left = memory.events(CryoGroupLeftEvent.class).size();
			assertThat(left).as("every membership gained was lost").isEqualTo(joined);
		}
	}

	private static CryoServerSettings settings(GroupLimits groupLimits) {
		return new CryoServerSettings(CryoServerSettings.DEFAULTS.keepAliveInterval(), SessionOptions.DEFAULTS, 0,
				CryoServerSettings.DEFAULTS.shutdownGracePeriod(), ReceiveLimits.defaults(), groupLimits);
	}

	/** The local directory, but one session is never listed as a member. */
	private static final class HidingDirectory implements SessionDirectory {

		private final LocalSessionDirectory delegate = new LocalSessionDirectory();

		private final SessionId hidden;

		private final List<String> asked = new CopyOnWriteArrayList<>();

		HidingDirectory(SessionId hidden) {
			this.hidden = hidden;
		}

		@Override
		public boolean reserve(SessionId sessionId) {
			return this.delegate.reserve(sessionId);
		}

		@Override
		public void refresh(SessionId sessionId) {
		}

		@Override
		public void release(SessionId sessionId) {
			this.delegate.release(sessionId);
		}

		@Override
		public Optional<String> locate(SessionId sessionId) {
			return this.delegate.locate(sessionId);
		}

		@Override
		public void join(SessionId sessionId, String group) {
			this.delegate.join(sessionId, group);
		}

		@Override
		public void leave(SessionId sessionId, String group) {
			this.delegate.leave(sessionId, group);
		}

		@Override
		public Set<SessionId> members(String group) {
			this.asked.add(group);
			Set<SessionId> members = new HashSet<>(this.delegate.members(group));
			members.remove(this.hidden);
			return members;
		}

		@Override
		public int groupCount() {
			return this.delegate.groupCount();
		}

	}

	/** The local directory, recording the calls that change memberships and claims. */
	private static final class RecordingDirectory implements SessionDirectory {

		private final LocalSessionDirectory delegate = new LocalSessionDirectory();

		private final List<String> calls = new CopyOnWriteArrayList<>();

		@Override
		public boolean reserve(SessionId sessionId) {
			return this.delegate.reserve(sessionId);
		}

		@Override
		public void refresh(SessionId sessionId) {
		}

		@Override
		public void release(SessionId sessionId) {
			this.calls.add("release " + sessionId);
			this.delegate.release(sessionId);
		}

		@Override
		public Optional<String> locate(SessionId sessionId) {
			return this.delegate.locate(sessionId);
		}

		@Override
		public void join(SessionId sessionId, String group) {
			this.calls.add("join " + sessionId + " " + group);
			this.delegate.join(sessionId, group);
		}

		@Override
		public void leave(SessionId sessionId, String group) {
			this.calls.add("leave " + sessionId + " " + group);
			this.delegate.leave(sessionId, group);
		}

		@Override
		public Set<SessionId> members(String group) {
			return this.delegate.members(group);
		}

		@Override
		public int groupCount() {
			return this.delegate.groupCount();
		}

	}

}
