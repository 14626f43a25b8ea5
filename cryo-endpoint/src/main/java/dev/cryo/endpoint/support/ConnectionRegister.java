package dev.cryo.endpoint.support;

/**
 * TEMP placeholder of the engine for the wire branch.
 */
public final class ConnectionRegister {

}
