/**
 * The engine of the endpoint layer: the registry, the dispatcher that parses the envelope, routes,
 * checks requirements, binds and validates bodies and invokes handlers, the settings store and the
 * connection register behind multicasts, which {@link dev.cryo.endpoint.support.ClusterMulticaster}
 * also carries to the other nodes of a cluster. Wires ({@code dev.cryo.endpoint.wire}) use it through
 * {@link dev.cryo.endpoint.support.EndpointDispatcher}.
 */
@NullMarked
package dev.cryo.endpoint.support;

import org.jspecify.annotations.NullMarked;
