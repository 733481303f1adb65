package io.skywatch.alerts;

import java.util.List;

/**
 * The rules a new deployment starts with. Air pollutants use the WHO Global Air Quality Guidelines (2021):
 * the 24-hour guideline level (AQG) for WARNING and interim target 1 (IT-1) for CRITICAL, applied to single
 * readings, which makes them early warnings rather than compliance checks. Thresholds sit far enough above the
 * seed station simulator's normal ranges (e.g. particulate_matter μ=30 σ=2, air_quality μ=200 σ=20) that
 * normal data raises nothing. Operators change or delete them through {@code /alert-rules}.
 */
final class DefaultAlertRules {

    private static final String WHO = "WHO Global Air Quality Guidelines 2021, ";

    private DefaultAlertRules() {}

    static List<AlertRule> all() {
        return List.of(
                rule("pm2_5-warning", "pm2_5", Severity.WARNING, 15, WHO + "PM2.5 24-h AQG 15 µg/m³"),
                rule("pm2_5-critical", "pm2_5", Severity.CRITICAL, 75, WHO + "PM2.5 24-h interim target 1, 75 µg/m³"),
                rule("pm10-warning", "pm10", Severity.WARNING, 45, WHO + "PM10 24-h AQG 45 µg/m³"),
                rule("pm10-critical", "pm10", Severity.CRITICAL, 150, WHO + "PM10 24-h interim target 1, 150 µg/m³"),
                rule(
                        "particulate_matter-warning",
                        "particulate_matter",
                        Severity.WARNING,
                        45,
                        WHO + "PM10 24-h AQG 45 µg/m³ (particulate_matter is not size-classified; PM10 is the looser)"),
                rule(
                        "particulate_matter-critical",
                        "particulate_matter",
                        Severity.CRITICAL,
                        150,
                        WHO + "PM10 24-h interim target 1, 150 µg/m³"),
                rule("no2-warning", "no2", Severity.WARNING, 25, WHO + "NO2 24-h AQG 25 µg/m³"),
                rule("no2-critical", "no2", Severity.CRITICAL, 120, WHO + "NO2 24-h interim target 1, 120 µg/m³"),
                rule("so2-warning", "so2", Severity.WARNING, 40, WHO + "SO2 24-h AQG 40 µg/m³"),
                rule("so2-critical", "so2", Severity.CRITICAL, 125, WHO + "SO2 24-h interim target 1, 125 µg/m³"),
                rule("co-warning", "co", Severity.WARNING, 4, WHO + "CO 24-h AQG 4 mg/m³"),
                rule("co-critical", "co", Severity.CRITICAL, 7, WHO + "CO 24-h interim target 1, 7 mg/m³"),
                rule(
                        "air_quality-critical",
                        "air_quality",
                        Severity.CRITICAL,
                        300,
                        "US EPA AQI: above 300 is 'Hazardous'"),
                rule(
                        "noise_level-warning",
                        "noise_level",
                        Severity.WARNING,
                        70,
                        "WHO Guidelines for Community Noise 1999: 70 dB LAeq,24h risk of hearing impairment"),
                rule(
                        "temperature-warning",
                        "temperature",
                        Severity.WARNING,
                        35,
                        "Heat-health warning: 35 °C, a common national heat-warning level"));
    }

    private static AlertRule rule(String id, String metric, Severity severity, double raiseAbove, String source) {
        AlertRule rule = new AlertRule();
        rule.id = id;
        rule.metric = metric;
        rule.severity = severity;
        rule.raiseAbove = raiseAbove;
        rule.clearBelow = AlertRules.defaultClearBelow(raiseAbove);
        rule.coolDownSeconds = AlertRules.DEFAULT_COOL_DOWN_SECONDS;
        rule.source = source;
        return rule;
    }
}
