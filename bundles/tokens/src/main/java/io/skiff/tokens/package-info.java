/**
 * The one store of random, expiring tokens ({@link io.skiff.tokens.TokenStore}), with what differs between its uses
 * stated as a {@link io.skiff.tokens.TokenPolicy}: sign-in sessions in {@code skiff-auth}, console tickets in
 * {@code skiff-console-vnc}, image and media transfer tokens in {@code skiff-core}.
 * <p>
 * Not an exported package: each of those bundles embeds a private copy (bnd {@code -conditionalpackage}), so nothing
 * here is API, and each store lives in the bundle that made it.
 */
package io.skiff.tokens;
