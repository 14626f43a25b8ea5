package dev.cryo.endpoint.support;

import org.junit.jupiter.api.Test;

import dev.cryo.endpoint.EndpointConnection;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * Tests for {@link ConnectionRegister}.
 */
class ConnectionRegisterTests {

	private final ConnectionRegister register = new ConnectionRegister();

	@Test
	void connectionsAreFoundByWireAndId() {
		SettingsTestConnection cryo = new SettingsTestConnection("1", EndpointConnection.CRYO_WIRE);
		SettingsTestConnection yoctopus = new SettingsTestConnection("1", EndpointConnection.YOCTOPUS_WIRE);
		this.register.add(cryo);
		this.register.add(yoctopus);
		assertThat(this.register.size()).isEqualTo(2);
		assertThat(this.register.find(EndpointConnection.CRYO_WIRE, "1")).containsSame(cryo);
		assertThat(this.register.find(EndpointConnection.YOCTOPUS_WIRE, "1")).containsSame(yoctopus);
		assertThat(this.register.find(EndpointConnection.CRYO_WIRE, "2")).isEmpty();
		assertThat(this.register.connections()).containsExactlyInAnyOrder(cryo, yoctopus);
	}

	@Test
	void removingAReplacedConnectionKeepsItsSuccessor() {
		SettingsTestConnection first = new SettingsTestConnection("1");
		SettingsTestConnection second = new SettingsTestConnection("1");
		this.register.add(first);
		this.register.add(second);
		this.register.remove(first);
		assertThat(this.register.find(EndpointConnection.YOCTOPUS_WIRE, "1")).containsSame(second);
		this.register.remove(second);
		assertThat(this.register.size()).isZero();
		this.register.remove(second);
		assertThat(this.register.connections()).isEmpty();
	}

	@Test
	void connectionsViewIsUnmodifiableAndSurvivesChangesWhileIterating() {
		for (int i = 0; i < 10; i++) {
			this.register.add(new SettingsTestConnection(String.valueOf(i)));
		}
		for (EndpointConnection connection : this.register.connections()) {
			this.register.remove(connection);
			this.register.add(new SettingsTestConnection("new-" + connection.id()));
		}
		assertThat(this.register.size()).isGreaterThanOrEqualTo(10);
		assertThatExceptionOfType(UnsupportedOperationException.class)
			.isThrownBy(() -> this.register.connections().clear());
	}

}
