/**
 * Test support for Cryo servers, shared by the modules that run end-to-end tests: a raw-frame
 * WebSocket client ({@link dev.cryo.test.RawCryoClient}), a raw upgrade request over a plain
 * socket ({@link dev.cryo.test.RawUpgradeRequest}) and hand-made frames the codec would refuse
 * to build ({@link dev.cryo.test.RawFrames}), and JUnit extensions that start a private
 * PostgreSQL server ({@link dev.cryo.test.PrivatePostgres}) for the live-data tests and a private
 * Redis server ({@link dev.cryo.test.PrivateRedis}) for the cluster tests.
 *
 * <p>Depends on cryo-core (the frame model and codec), JUnit's API and the JDK only, so that every module
 * above the core, cryo-server included, can use it in test scope. The sample app's conformance
 * client stays apart on purpose: it is written from the specification alone.
 */
@NullMarked
package dev.cryo.test;

import org.jspecify.annotations.NullMarked;
