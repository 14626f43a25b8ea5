package dev.cryo.boot.autoconfigure;

import org.apache.catalina.connector.Connector;
import org.springframework.boot.tomcat.servlet.TomcatServletWebServerFactory;

import dev.cryo.boot.autoconfigure.tomcat.CryoHttp11NioProtocol;

/**
 * The additional Tomcat connector that serves the Cryo endpoint on {@code cryo.port}.
 */
final class CryoConnector {

	private final Connector connector;

	CryoConnector(int port, boolean separateSendCompletions) {
		this.connector = new Connector(separateSendCompletions ? CryoHttp11NioProtocol.class.getName()
				: TomcatServletWebServerFactory.DEFAULT_PROTOCOL);
		this.connector.setPort(port);
	}

	Connector connector() {
		return this.connector;
	}

	/**
	 * Returns the port the connector is bound to, which differs from the configured one when
	 * that was 0; {@code -1} before the web server started.
	 */
	int localPort() {
		return this.connector.getLocalPort();
	}

}
