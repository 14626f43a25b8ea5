package dev.cryo.server.support;

import java.util.concurrent.Executor;
import java.util.concurrent.ScheduledExecutorService;

import org.springframework.context.ApplicationEventPublisher;

import dev.cryo.core.engine.SessionOptions;
import dev.cryo.core.transaction.SpillSpace;
import dev.cryo.server.GroupLimits;
import dev.cryo.server.observer.CryoServerObserver;

/**
 * What every session of one server shares: where it registers, the two chains its messages
 * pass, where its events go, its options, the shared timer, stream pool and spill space, and the observer.
 * One instance per server, so that a session holds one reference instead of eight.
 *
 * @param registry the registry of live and reserved session ids
 * @param extensions the extension chain, both directions
 * @param handlers the inbound message handlers, events last
 * @param publisher where session events go
 * @param options protocol timings and limits
 * @param scheduler the shared timer
 * @param streamExecutor runs the work of transactions
 * @param spillSpace the disk the temporary files of all sessions' transactions share
 * @param observer told what sessions do (metrics)
 * @param groupLimits the longest group name and the most groups one session may be in
 * @param closeOnTokenExpiry whether a session is closed when the token it was authenticated
 * with expires ({@link dev.cryo.server.CryoAuthentication#EXPIRES_AT_ATTRIBUTE})
 */
record ServerResources(CryoSessionRegistry registry, CryoExtensions extensions, MessageHandlerChain handlers,
		ApplicationEventPublisher publisher, SessionOptions options, ScheduledExecutorService scheduler,
		Executor streamExecutor, SpillSpace spillSpace, CryoServerObserver observer,
		GroupLimits groupLimits, boolean closeOnTokenExpiry) {
}
