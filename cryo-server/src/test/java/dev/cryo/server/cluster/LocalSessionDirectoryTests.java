package dev.cryo.server.cluster;

import java.util.Set;

import org.junit.jupiter.api.Test;

import dev.cryo.core.SessionId;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/** The in-memory {@link SessionDirectory} of a single node. */
class LocalSessionDirectoryTests {

	private final LocalSessionDirectory directory = new LocalSessionDirectory("node-a");

	@Test
	void anIdIsReservedOnceUntilItIsReleased() {
		assertThat(this.directory.reserve(SessionId.of(7))).isTrue();
		assertThat(this.directory.reserve(SessionId.of(7))).isFalse();
		this.directory.release(SessionId.of(7));
		assertThat(this.directory.reserve(SessionId.of(7))).isTrue();
	}

	@Test
	void aHeldIdIsLocatedOnThisNode() {
		assertThat(this.directory.locate(SessionId.of(7))).isEmpty();
		this.directory.reserve(SessionId.of(7));
		assertThat(this.directory.locate(SessionId.of(7))).contains("node-a");
		assertThat(new LocalSessionDirectory().locate(SessionId.of(7))).isEmpty();
	}

	@Test
	void claimsDoNotExpireSoRefreshingChangesNothing() {
		this.directory.reserve(SessionId.of(7));
		this.directory.refresh(SessionId.of(7));
		this.directory.refresh(SessionId.of(8));
		assertThat(this.directory.locate(SessionId.of(7))).contains("node-a");
		assertThat(this.directory.locate(SessionId.of(8))).isEmpty();
	}

	@Test
	void releasingAnIdThatIsNotHeldDoesNothing() {
		this.directory.release(SessionId.of(9));
		assertThat(this.directory.reserve(SessionId.of(9))).isTrue();
	}

	@Test
	void aGroupListsItsMembersOnceEachUntilTheyLeave() {
		this.directory.join(SessionId.of(1), "chat");
		this.directory.join(SessionId.of(2), "chat");
		this.directory.join(SessionId.of(2), "chat");
		this.directory.join(SessionId.of(3), "news");
		assertThat(this.directory.members("chat")).containsExactlyInAnyOrder(SessionId.of(1), SessionId.of(2));
		this.directory.leave(SessionId.of(1), "chat");
		this.directory.leave(SessionId.of(1), "chat");
		assertThat(this.directory.members("chat")).containsExactly(SessionId.of(2));
		assertThat(this.directory.members("news")).containsExactly(SessionId.of(3));
	}

	@Test
	void aGroupIsCountedWhileItHasMembersAndGoesWithTheLast() {
		assertThat(this.directory.members("chat")).isEmpty();
		this.directory.join(SessionId.of(1), "chat");
		this.directory.join(SessionId.of(1), "news");
		assertThat(this.directory.groupCount()).isEqualTo(2);
		this.directory.leave(SessionId.of(1), "chat");
		assertThat(this.directory.groupCount()).isOne();
		this.directory.leave(SessionId.of(9), "nowhere");
		assertThat(this.directory.groupCount()).isOne();
	}

	@Test
	void membersAreASnapshot() {
		this.directory.join(SessionId.of(1), "chat");
		Set<SessionId> members = this.directory.members("chat");
		this.directory.join(SessionId.of(2), "chat");
		assertThat(members).containsExactly(SessionId.of(1));
		assertThatExceptionOfType(UnsupportedOperationException.class).isThrownBy(() -> members.add(SessionId.of(3)));
	}

	@Test
	void concurrentJoinsAndLeavesLoseNoMembership() throws Exception {
		// Leaving empties the group and removes it while others join it: no join may land in a removed set.
		Thread[] threads = new Thread[4];
		for (int t = 0; t < threads.length; t++) {
			long id = t;
			threads[t] = new Thread(() -> {
				for (int i = 0; i < 20_000; i++) {
					this.directory.join(SessionId.of(id), "chat");
					this.directory.leave(SessionId.of(id), "chat");
				}
				this.directory.join(SessionId.of(id), "chat");
			});
			threads[t].start();
		}
		for (Thread thread : threads) {
			thread.join();
		}
		assertThat(this.directory.members("chat")).hasSize(threads.length);
	}

}
