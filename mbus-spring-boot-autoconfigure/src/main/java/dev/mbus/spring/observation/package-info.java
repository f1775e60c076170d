/**
 * Micrometer Observation of the template ({@code mbus.template}) and of listeners
 * ({@code mbus.listener}); see {@link dev.mbus.spring.observation.MbusObservationDocumentation}.
 * Mbus messages carry no headers beyond the protocol's, so no trace context travels with them:
 * each side's observations start their own trace unless one is already current.
 */
package dev.mbus.spring.observation;
