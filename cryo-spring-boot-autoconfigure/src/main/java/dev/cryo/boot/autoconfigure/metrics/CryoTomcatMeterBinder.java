package dev.cryo.boot.autoconfigure.metrics;

import java.util.function.ToIntFunction;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.MeterBinder;
import org.apache.catalina.connector.Connector;

import org.springframework.boot.tomcat.TomcatWebServer;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ApplicationContext;

import dev.cryo.boot.autoconfigure.tomcat.CryoHttp11NioProtocol;

/**
 * Binds the gauges of the pools on which Tomcat's connectors complete asynchronous WebSocket
 * sends ({@link CryoHttp11NioProtocol}, {@code cryo.tomcat.separate-send-completions}):
 * {@code cryo.tomcat.send-completions.threads} (each connector's pool at most
 * {@code server.tomcat.threads.max}) and {@code cryo.tomcat.send-completions.busy}, summed over
 * the running connectors. Read from the application's web server when the registry asks, so
 * both are 0 before it starts.
 */
public class CryoTomcatMeterBinder implements MeterBinder {

	private final ApplicationContext context;

	/**
	 * Creates a binder.
	 * @param context the application context whose web server holds the connectors
	 */
	public CryoTomcatMeterBinder(ApplicationContext context) {
		this.context = context;
	}

	@Override
	public void bindTo(MeterRegistry registry) {
		Gauge.builder("cryo.tomcat.send-completions.threads", this,
				(binder) -> binder.sum(CryoHttp11NioProtocol::sendCompletionThreads))
			.description("Threads of Tomcat's send completion pools, each at most server.tomcat.threads.max")
			.register(registry);
		Gauge.builder("cryo.tomcat.send-completions.busy", this,
				(binder) -> binder.sum(CryoHttp11NioProtocol::busySendCompletionThreads))
			.description("Threads completing a WebSocket send now")
			.register(registry);
	}

	private int sum(ToIntFunction<CryoHttp11NioProtocol> figure) {
		if (!(this.context instanceof WebServerApplicationContext web)
				|| !(web.getWebServer() instanceof TomcatWebServer tomcat)) {
			return 0;
		}
		int sum = 0;
		for (Connector connector : tomcat.getTomcat().getService().findConnectors()) {
			if (connector.getProtocolHandler() instanceof CryoHttp11NioProtocol protocol) {
				sum += figure.applyAsInt(protocol);
			}
		}
		return sum;
	}

}
