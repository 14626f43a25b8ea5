package dev.cryo.benchmarks.app;

import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.core.env.Environment;
import org.springframework.util.ClassUtils;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

import dev.cryo.server.CryoServer;

/**
 * What the load driver asks the server between phases, over plain HTTP so that no JMX or
 * actuator is involved: heap used (after full collections when asked), the live session
 * counts of both endpoints, whether the cluster module is on the class path, and whether the
 * cluster is enabled.
 */
@RestController
class BenchController {

	private final CryoServer cryoServer;

	private final ObjectProvider<RawEchoHandler> rawHandler;

	private final boolean clusterModule;

	private final boolean clusterEnabled;

	BenchController(CryoServer cryoServer, ObjectProvider<RawEchoHandler> rawHandler, Environment environment) {
		this.cryoServer = cryoServer;
		this.rawHandler = rawHandler;
		this.clusterModule = ClassUtils.isPresent("dev.cryo.redis.RedisClusterBroadcaster",
				BenchController.class.getClassLoader());
		this.clusterEnabled = environment.getProperty("cryo.cluster.redis.enabled", Boolean.class, false);
	}

	@GetMapping(path = "/bench/state", produces = "text/plain")
	String state(@RequestParam(defaultValue = "false") boolean gc) throws InterruptedException {
		MemoryMXBean memory = ManagementFactory.getMemoryMXBean();
		if (gc) {
			// Several rounds: objects with finalizers or cleaners need a second pass to go.
			for (int i = 0; i < 3; i++) {
				System.gc();
				Thread.sleep(50);
			}
		}
		RawEchoHandler raw = this.rawHandler.getIfAvailable();
		return "heap=" + memory.getHeapMemoryUsage().getUsed() + " cryo=" + this.cryoServer.sessionCount() + " raw="
				+ ((raw != null) ? raw.openSessions() : -1) + " cluster-module=" + this.clusterModule + " cluster="
				+ this.clusterEnabled;
	}

}
