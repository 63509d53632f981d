package dev.ramp.gateway.proxy;

import dev.ramp.gateway.config.Percent;
import dev.ramp.gateway.config.TargetingRule;
import dev.ramp.gateway.routing.Reason;
import dev.ramp.gateway.routing.Version;

/**
 * Which version a request would get on a route and why ({@link RouteDecision#explain}), as
 * {@code GET /api/routes/{name}/explain} and the {@code explain} command report it (docs/targeting.md).
 *
 * @param rule          the targeting rule that decided, or null
 * @param ruleIndex     its index in the route's {@code rules}, or -1
 * @param bucket        the identity's bucket, 0..9999
 * @param weight        the weight the bucket is compared with: the matching rule's, else the route's effective one
 * @param identity      the identity decided on
 * @param freshIdentity whether the request had none, so the data path would make this one up (and set its cookie)
 */
public record Explanation(String route, Version version, Reason reason, TargetingRule rule, int ruleIndex,
                          int bucket, Percent weight, String identity, boolean freshIdentity) {}
