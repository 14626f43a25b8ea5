package dev.cryo.endpoint.support;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import jakarta.validation.Validation;
import jakarta.validation.ValidatorFactory;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.json.JsonMapper;

import dev.cryo.endpoint.PluginDefinition;
import dev.cryo.endpoint.SettingsFilter;
import dev.cryo.endpoint.support.DefaultMulticasterTests.CountingData;
import dev.cryo.endpoint.support.DefaultMulticasterTests.RoomSettings;
import dev.cryo.endpoint.testing.InMemoryCluster;
import dev.cryo.server.BroadcastResult;
import dev.cryo.server.SessionSelector;
import dev.cryo.server.cluster.ClusterBroadcaster;
import dev.cryo.server.cluster.ClusterMessage;
import dev.cryo.server.cluster.LocalDelivery;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests for {@link ClusterMulticaster}: two nodes connected by an {@link InMemoryCluster}.
 */
class ClusterMulticasterTests {

	private static final String BLUE_CHAT = "{\"meta\":{\"method\":\"notify\",\"type\":\"chat\"},\"data\":\"hello\"}";

	private static final int MAX_MESSAGE_SIZE = 4096;

	private final JsonMapper mapper = JsonMapper.builder().build();

	private final InMemoryCluster cluster = new InMemoryCluster();

	private ValidatorFactory validation;

	private SettingsFactory factory;

	private final ConnectionRegister registerA = new ConnectionRegister();

	private final ConnectionRegister registerB = new ConnectionRegister();

	private ClusterBroadcaster broadcasterB;

	private ClusterMulticaster nodeA;

	private ClusterMulticaster nodeB;

	@BeforeEach
	void setUp() {
		this.validation = Validation.buildDefaultValidatorFactory();
		SettingsTestRegistry registry = new SettingsTestRegistry();
		registry.register(PluginDefinition.builder("room").settings(RoomSettings.class).build());
		this.factory = new SettingsFactory(registry, new JsonBinder(this.validation.getValidator()), List.of());
		this.nodeA = new ClusterMulticaster(this.registerA, new Envelopes(this.mapper), this.cluster.node("a"),
				this.mapper, MAX_MESSAGE_SIZE);
		this.broadcasterB = this.cluster.node("b");
		this.nodeB = new ClusterMulticaster(this.registerB, new Envelopes(this.mapper), this.broadcasterB, this.mapper,
				MAX_MESSAGE_SIZE);
		this.nodeA.start();
		this.nodeB.start();
	}

	@AfterEach
	void tearDown() {
		this.nodeA.close();
		this.nodeB.close();
		this.cluster.close();
		this.validation.close();
	}

	private SettingsTestConnection connection(ConnectionRegister register, String id, String room) {
		SettingsTestConnection connection = new SettingsTestConnection(id).withSettings(this.factory);
		connection.settings().update("room", Map.of("name", room));
		register.add(connection);
		return connection;
	}

	@Test
	void aMulticastOnOneNodeReachesTheMatchingConnectionsOfTheOtherEncodedOnce() throws Exception {
		SettingsTestConnection blueOnA = connection(this.registerA, "1", "blue");
		SettingsTestConnection blueOnB = connection(this.registerB, "2", "blue");
		SettingsTestConnection secondBlueOnB = connection(this.registerB, "3", "blue");
		SettingsTestConnection redOnB = connection(this.registerB, "4", "red");
		CountingData data = new CountingData();

		int count = this.nodeA.multicast(SettingsFilter.where("room", "name", "blue"), "chat", data);

		assertThat(count).as("this node's connections only").isOne();
		assertThat(blueOnA.texts().poll(10, TimeUnit.SECONDS)).isEqualTo(BLUE_CHAT);
		assertThat(blueOnB.texts().poll(10, TimeUnit.SECONDS)).isEqualTo(BLUE_CHAT);
		assertThat(secondBlueOnB.texts().poll(10, TimeUnit.SECONDS)).isEqualTo(BLUE_CHAT);
		assertThat(data.writes).as("encoded once, on node A").hasValue(1);
		this.cluster.settle();
		assertThat(redOnB.sent()).isEmpty();
		assertThat(this.nodeA.traffic().publishedCount()).isOne();
		assertThat(this.nodeB.traffic().receivedCount()).isOne();
		assertThat(this.nodeA.traffic().receivedCount()).as("a node does not receive its own multicasts").isZero();
	}

	@Test
	void aMulticastWithNoLocalMatchStillReachesTheOtherNode() throws Exception {
		SettingsTestConnection blueOnB = connection(this.registerB, "1", "blue");
		assertThat(this.nodeA.multicast(SettingsFilter.where("room", "name", "blue"), "chat", "hello")).isZero();
		assertThat(blueOnB.texts().poll(10, TimeUnit.SECONDS)).isEqualTo(BLUE_CHAT);
	}

	@Test
	void malformedMessagesAreCountedAndDroppedAndLaterOnesStillArrive() throws Exception {
		SettingsTestConnection onA = connection(this.registerA, "1", "blue");
		byte[] filter = "{\"room\":{\"name\":\"blue\"}}".getBytes(StandardCharsets.UTF_8);
		List<byte[]> malformed = List.of(new byte[0], new byte[] { 9, 0, 0, 0, 0 },
				message(filter.length + 100, filter, "{}"), message(3, "[1]".getBytes(StandardCharsets.UTF_8), "{}"),
				message(10, "{\"room\":1}".getBytes(StandardCharsets.UTF_8), "{}"),
				message(3, filter, "{}"),
				message(filter.length, filter, ""),
				append(message(filter.length, filter, ""), new byte[] { (byte) 0xC3, (byte) 0x28 }));
		for (byte[] message : malformed) {
			this.broadcasterB.publish(ClusterMulticaster.TOPIC, message);
		}
		this.broadcasterB.publish(ClusterMulticaster.TOPIC, message(filter.length, filter, BLUE_CHAT));

		assertThat(onA.texts().poll(10, TimeUnit.SECONDS)).isEqualTo(BLUE_CHAT);
		this.cluster.settle();
		assertThat(onA.sent()).isEmpty();
		assertThat(this.nodeA.traffic().malformedCount()).isEqualTo(malformed.size());
		assertThat(this.nodeA.traffic().receivedCount()).isOne();
	}

	@Test
	void oversizedMessagesAreNeitherPublishedNorAccepted() throws Exception {
		SettingsTestConnection onA = connection(this.registerA, "1", "blue");
		SettingsTestConnection onB = connection(this.registerB, "2", "blue");
		String large = "x".repeat(MAX_MESSAGE_SIZE);

		assertThat(this.nodeB.multicast(SettingsFilter.all(), "chat", large)).as("still delivered locally").isOne();
		assertThat(onB.texts().poll(10, TimeUnit.SECONDS)).contains(large);
		assertThat(this.nodeB.traffic().tooLargeCount()).isOne();
		assertThat(this.nodeB.traffic().publishedCount()).isZero();

		byte[] filter = "{}".getBytes(StandardCharsets.UTF_8);
		this.broadcasterB.publish(ClusterMulticaster.TOPIC, message(filter.length, filter, "{\"data\":\"" + large + "\"}"));
		this.broadcasterB.publish(ClusterMulticaster.TOPIC, message(filter.length, filter, BLUE_CHAT));
		assertThat(onA.texts().poll(10, TimeUnit.SECONDS)).isEqualTo(BLUE_CHAT);
		assertThat(this.nodeA.traffic().tooLargeCount()).isOne();
	}

	@Test
	void afterStopTheOtherNodesMulticastsNoLongerArrive() throws Exception {
		SettingsTestConnection onA = connection(this.registerA, "1", "blue");
		this.nodeA.stop();
		assertThat(this.nodeA.isRunning()).isFalse();
		this.nodeB.multicast(SettingsFilter.all(), "chat", "hello");
		this.cluster.settle();
		assertThat(onA.sent()).isEmpty();
	}

	@Test
	void aFailingBroadcasterDoesNotKeepTheMulticastFromThisNode() throws Exception {
		ClusterBroadcaster failing = new ClusterBroadcaster() {

			@Override
			public BroadcastResult broadcast(SessionSelector selector, ClusterMessage message,
					LocalDelivery localDelivery) {
				return BroadcastResult.local(localDelivery.deliver(selector, message));
			}

			@Override
			public long publish(String topic, byte[] payload) {
				throw new IllegalStateException("Redis is down");
			}

		};
		ConnectionRegister register = new ConnectionRegister();
		SettingsTestConnection local = connection(register, "1", "blue");
		ClusterMulticaster multicaster = new ClusterMulticaster(register, new Envelopes(this.mapper), failing,
				this.mapper, MAX_MESSAGE_SIZE);
		assertThat(multicaster.multicast(SettingsFilter.all(), "chat", "hello")).isOne();
		assertThat(local.sent()).containsExactly(BLUE_CHAT);
		assertThat(multicaster.traffic().publishFailureCount()).isOne();
		assertThat(multicaster.traffic().publishedCount()).isZero();
	}

	private static byte[] message(int declaredFilterLength, byte[] filter, String notification) {
		byte[] text = notification.getBytes(StandardCharsets.UTF_8);
		return ByteBuffer.allocate(5 + filter.length + text.length)
			.put(ClusterMulticaster.FORMAT_VERSION)
			.putInt(declaredFilterLength)
			.put(filter)
			.put(text)
			.array();
	}

	private static byte[] append(byte[] first, byte[] second) {
		return ByteBuffer.allocate(first.length + second.length).put(first).put(second).array();
	}

}
