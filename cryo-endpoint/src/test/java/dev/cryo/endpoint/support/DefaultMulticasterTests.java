package dev.cryo.endpoint.support;

import java.io.IOException;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

import com.fasterxml.jackson.annotation.JsonValue;
import jakarta.validation.Validation;
import jakarta.validation.ValidatorFactory;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.json.JsonMapper;

import dev.cryo.endpoint.PluginDefinition;
import dev.cryo.endpoint.SettingsFilter;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests for {@link DefaultMulticaster}.
 */
class DefaultMulticasterTests {

	private ValidatorFactory validation;

	private SettingsFactory factory;

	private final ConnectionRegister register = new ConnectionRegister();

	private DefaultMulticaster multicaster;

	@BeforeEach
	void setUp() {
		this.validation = Validation.buildDefaultValidatorFactory();
		SettingsTestRegistry registry = new SettingsTestRegistry();
		registry.register(PluginDefinition.builder("room").settings(RoomSettings.class).build());
		this.factory = new SettingsFactory(registry, new JsonBinder(this.validation.getValidator()), List.of());
		this.multicaster = new DefaultMulticaster(this.register, new Envelopes(JsonMapper.builder().build()));
	}

	@AfterEach
	void closeValidation() {
		this.validation.close();
	}

	private SettingsTestConnection connection(String id, String room) {
		SettingsTestConnection connection = new SettingsTestConnection(id).withSettings(this.factory);
		connection.settings().update("room", Map.of("name", room));
		this.register.add(connection);
		return connection;
	}

	@Test
	void reachesExactlyTheOpenMatchingConnectionsWithOneEncoding() {
		SettingsTestConnection first = connection("1", "blue");
		SettingsTestConnection second = connection("2", "blue");
		SettingsTestConnection other = connection("3", "red");
		SettingsTestConnection closed = connection("4", "blue");
		closed.setOpen(false);
		CountingData data = new CountingData();
		int count = this.multicaster.multicast(SettingsFilter.where("room", "name", "blue"), "chat", data);
		assertThat(count).isEqualTo(2);
		assertThat(data.writes).hasValue(1);
		assertThat(first.sent()).containsExactly(
				"{\"meta\":{\"method\":\"notify\",\"type\":\"chat\"},\"data\":\"hello\"}");
		assertThat(second.sent()).singleElement().isSameAs(first.sent().get(0));
		assertThat(other.sent()).isEmpty();
		assertThat(closed.sent()).isEmpty();
	}

	@Test
	void emptyFilterReachesEveryone() {
		connection("1", "blue");
		connection("2", "red");
		assertThat(this.multicaster.multicast(SettingsFilter.all(), "ping", null)).isEqualTo(2);
	}

	@Test
	void noMatchEncodesNothing() {
		connection("1", "red");
		CountingData data = new CountingData();
		assertThat(this.multicaster.multicast(SettingsFilter.where("room", "name", "blue"), "chat", data)).isZero();
		assertThat(data.writes).hasValue(0);
	}

	@Test
	void refusedSendIsNotCountedButALaterFailureIs() {
		SettingsTestConnection refusing = connection("1", "blue");
		refusing.refuseSends(new IllegalStateException("closing"));
		SettingsTestConnection failingLater = connection("2", "blue");
		failingLater.failSendsLater(new IOException("broken pipe"));
		SettingsTestConnection healthy = connection("3", "blue");
		assertThat(this.multicaster.multicast(SettingsFilter.where("room", "name", "blue"), "chat", "x")).isEqualTo(2);
		assertThat(healthy.sent()).hasSize(1);
	}

	/**
	 * Settings with a room name.
	 */
	public record RoomSettings(String name) {

	}

	/**
	 * Data that counts how often it is written.
	 */
	static final class CountingData {

		final AtomicInteger writes = new AtomicInteger();

		@JsonValue
		String write() {
			this.writes.incrementAndGet();
			return "hello";
		}

	}

}
