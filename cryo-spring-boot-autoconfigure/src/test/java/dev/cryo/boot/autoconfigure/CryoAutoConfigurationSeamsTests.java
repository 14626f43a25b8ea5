package dev.cryo.boot.autoconfigure;

import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;

import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.WebApplicationContextRunner;

import dev.cryo.core.SessionId;
import dev.cryo.server.BroadcastResult;
import dev.cryo.server.CryoServer;
import dev.cryo.server.SessionSelector;
import dev.cryo.server.TokenValidator;
import dev.cryo.server.cluster.ClusterBroadcaster;
import dev.cryo.server.cluster.ClusterMessage;
import dev.cryo.server.cluster.LocalClusterBroadcaster;
import dev.cryo.server.cluster.LocalDelivery;
import dev.cryo.server.cluster.LocalSessionDirectory;
import dev.cryo.server.cluster.SessionDirectory;
import dev.cryo.server.support.DefaultCryoServer;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests for the seams {@link CryoAutoConfiguration} hands the server: the session directory
 * and the cluster broadcaster are local by default and give way to the application's beans,
 * which the server then uses.
 */
class CryoAutoConfigurationSeamsTests {

	private final WebApplicationContextRunner contextRunner = new WebApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(CryoAutoConfiguration.class))
		.withBean(TokenValidator.class, () -> (token) -> "secret".equals(token));

	@Test
	void theSessionDirectoryIsLocalByDefault() {
		this.contextRunner.run((context) -> assertThat(context).hasNotFailed()
			.hasSingleBean(SessionDirectory.class)
			.getBean(SessionDirectory.class)
			.isInstanceOf(LocalSessionDirectory.class));
	}

	@Test
	void userDefinedSessionDirectoryWinsAndTheServerClaimsItsIdsThere() {
		RefusingDirectory directory = new RefusingDirectory();
		this.contextRunner.withBean("userDirectory", SessionDirectory.class, () -> directory).run((context) -> {
			assertThat(context).hasSingleBean(SessionDirectory.class);
			assertThat(context.getBean(SessionDirectory.class)).isSameAs(directory);
			DefaultCryoServer server = (DefaultCryoServer) context.getBean(CryoServer.class);
			assertThat(server.sessionRegistry().reserve(SessionId.of(7))).isNull();
			assertThat(directory.asked).containsExactly(SessionId.of(7));
		});
	}

	@Test
	void theClusterBroadcasterIsLocalByDefault() {
		this.contextRunner.run((context) -> assertThat(context).hasNotFailed()
			.hasSingleBean(ClusterBroadcaster.class)
			.getBean(ClusterBroadcaster.class)
			.isInstanceOf(LocalClusterBroadcaster.class));
	}

	@Test
	void userDefinedClusterBroadcasterWinsAndTheServerMulticastsThroughIt() {
		RecordingBroadcaster broadcaster = new RecordingBroadcaster();
		this.contextRunner.withBean("userBroadcaster", ClusterBroadcaster.class, () -> broadcaster).run((context) -> {
			assertThat(context).hasSingleBean(ClusterBroadcaster.class);
			assertThat(context.getBean(ClusterBroadcaster.class)).isSameAs(broadcaster);
			BroadcastResult result = context.getBean(CryoServer.class)
				.multicastUtf8(SessionSelector.attribute("room", "lobby"), "hi");
			assertThat(broadcaster.selectors).containsExactly(SessionSelector.attribute("room", "lobby"));
			assertThat(result.remoteDeliveries()).isEqualTo(3);
		});
	}

	@Test
	void theSeamsBackOffWithTheRestWhenCryoIsDisabled() {
		this.contextRunner.withPropertyValues("cryo.enabled=false")
			.run((context) -> assertThat(context).hasNotFailed()
				.doesNotHaveBean(SessionDirectory.class)
				.doesNotHaveBean(ClusterBroadcaster.class));
	}

	/** Refuses every id, as if each were live on another node. */
	static final class RefusingDirectory implements SessionDirectory {

		private final List<SessionId> asked = new CopyOnWriteArrayList<>();

		@Override
		public boolean reserve(SessionId sessionId) {
			this.asked.add(sessionId);
			return false;
		}

		@Override
		public void refresh(SessionId sessionId) {
		}

		@Override
		public void release(SessionId sessionId) {
		}

		@Override
		public Optional<String> locate(SessionId sessionId) {
			return Optional.of("elsewhere");
		}

		@Override
		public void join(SessionId sessionId, String group) {
		}

		@Override
		public void leave(SessionId sessionId, String group) {
		}

		@Override
		public Set<SessionId> members(String group) {
			// No id is ever granted, so no session of this node is in any group.
			return Set.of();
		}

		@Override
		public int groupCount() {
			return 0;
		}

	}

	/** Delivers locally and reports three sessions reached on other nodes. */
	static final class RecordingBroadcaster implements ClusterBroadcaster {

		private final List<SessionSelector> selectors = new CopyOnWriteArrayList<>();

		@Override
		public BroadcastResult broadcast(SessionSelector selector, ClusterMessage message, LocalDelivery localDelivery) {
			this.selectors.add(selector);
			return new BroadcastResult(localDelivery.deliver(selector, message), 3);
		}

	}

}
