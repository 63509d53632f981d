package dev.ramp.gateway.config;

import java.time.Duration;

/** The guard's thresholds for one route, as configured (see config/gateway.conf). */
public record GuardSettings(
        boolean enabled,
        Duration evaluateEvery,
        Duration window,
        int minRequests,
        Percent maxErrorRate,
        Percent maxErrorRateIncrease,
        Duration maxP99,
        double maxLatencyIncrease,
        int breachesToRevert,
        int consecutiveFailuresToRevert,
        int minFailures,
        Duration minLatencyDifference,
        Percent falseRevertBudget,
        Duration budgetHorizon) {}
