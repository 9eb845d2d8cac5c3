package dev.rootcause.alert.reading;

import static org.assertj.core.api.Assertions.assertThat;

import dev.rootcause.rule.vocabulary.SymptomVocabulary;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

/**
 * Zabbix trigger expressions read through the shared hook. The expressions are those of Zabbix 6.0's shipped
 * templates (github.com/zabbix/zabbix, templates/os/linux, templates/net/icmp_ping, templates/app/zabbix_agent;
 * GPL-2.0; quoted as data) and of the Zabbix 6.0 manual's "Trigger expression" page, with the template name as
 * the host the way {@code {TRIGGER.EXPRESSION}} shows them on a host.
 */
class ForeignExpressionsTest {

    private static final AlertReader READER = new AlertReader(
            SymptomVocabulary.load(Path.of("rules/symptoms.yaml")).current(), List.of());

    @Test
    void itemReferencesBecomeSelectorsWithHostAndKey() {
        PromQl.Expression e = ForeignExpressions.zabbix(
                "min(/web-01/icmppingloss,5m)>{$ICMP_LOSS_WARN} and last(/web-01/vfs.fs.size[/var,pused])>90");
        assertThat(e.selectors()).hasSize(2);
        PromQl.Selector loss = e.selectors().get(0);
        assertThat(loss.metric()).isEqualTo("icmppingloss");
        assertThat(loss.functions()).containsExactly("min");
        assertThat(loss.matchers()).containsExactly(new PromQl.Matcher("host", "=", "web-01"),
                new PromQl.Matcher("key", "=", "icmppingloss"));
        PromQl.Selector fs = e.selectors().get(1);
        assertThat(fs.metric()).isEqualTo("vfs.fs.size");
        assertThat(fs.matchers()).contains(new PromQl.Matcher("key", "=", "vfs.fs.size[/var,pused]"));
    }

    @Test
    void quotedKeyParametersNestedCallsAndAggregateFiltersAreRead() {
        PromQl.Expression e = ForeignExpressions.zabbix(
                "abs(change(/db 1/net.if.in[\"eth0,1\",errors]))>0 or sum(last_foreach(/*/proc.num?[group=\"Web\"]))=0");
        assertThat(e.selectors()).extracting(PromQl.Selector::metric).containsExactly("net.if.in", "proc.num");
        assertThat(e.selectors().get(0).functions()).containsExactly("change", "abs");
        assertThat(e.selectors().get(0).matchers()).containsExactly(new PromQl.Matcher("host", "=", "db 1"),
                new PromQl.Matcher("key", "=", "net.if.in[\"eth0,1\",errors]"));
        // a wildcard host names no host
        assertThat(e.selectors().get(1).matchers()).containsExactly(new PromQl.Matcher("key", "=", "proc.num"));
    }

    @Test
    void textThatIsNoZabbixExpressionReadsAsNothing() {
        assertThat(ForeignExpressions.zabbix("").selectors()).isEmpty();
        assertThat(ForeignExpressions.zabbix("{Zabbix server:system.cpu.load.last()}>5").selectors()).isEmpty();
        assertThat(ForeignExpressions.zabbix("last(/h/").selectors()).isEmpty();
        assertThat(ForeignExpressions.read("datadog-not-yet", "avg(last_5m):x > 1")).isEmpty();
        assertThat(ForeignExpressions.read(null, "x")).isEmpty();
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "min(/Linux by Zabbix agent/system.cpu.util,5m)>{$CPU.UTIL.CRIT}|saturation.cpu",
            "max(/Linux by Zabbix agent/vm.memory.utilization,5m)>{$MEMORY.UTIL.MAX}|saturation.memory",
            "last(/Linux by Zabbix agent/vfs.fs.size[/,pused])>{$VFS.FS.PUSED.MAX.CRIT}|disk",
            "last(/Linux by Zabbix agent/system.uptime)<10m|restarts",
            "max(/ICMP Ping/icmpping,#3)=0|availability",
            "min(/ICMP Ping/icmppingloss,5m)>{$ICMP_LOSS_WARN} and min(/ICMP Ping/icmppingloss,5m)<100|network",
            "avg(/ICMP Ping/icmppingsec,5m)>{$ICMP_RESPONSE_TIME_WARN}|network",
            "nodata(/Zabbix agent/agent.ping,{$AGENT.NODATA_TIMEOUT})=1|availability",
            "last(/example.com/net.if.in[eth0,bytes])>10K|network",
            "last(/Linux by Zabbix agent/system.cpu.load[all,avg1])>5|saturation.cpu",
    })
    void shippedVocabularyReadsZabbixTemplateTriggers(String expression, String symptom) {
        AlertReading r = READER.read(Map.of("alertname", "NOC-P2-17", "host", "web-01"),
                Map.of(AlertReader.EXPRESSION_ANNOTATION, expression, AlertReader.LANGUAGE_ANNOTATION, "zabbix"), null);
        assertThat(r.symptomList()).extracting(Symptom::name).as(r.summary()).containsExactly(symptom);
        assertThat(r.symptoms().get(0).from()).isEqualTo(SymptomReading.From.EXPRESSION);
        assertThat(r.expression()).isEqualTo(expression);
    }

    @Test
    void aPrometheusExpressionInTheGeneratorUrlWinsOverTheAnnotation() {
        AlertReading r = READER.read(Map.of("alertname", "X"),
                Map.of(AlertReader.EXPRESSION_ANNOTATION, "last(/h/system.cpu.util)>90", AlertReader.LANGUAGE_ANNOTATION, "zabbix"),
                "http://prom/graph?g0.expr=up%20%3D%3D%200&g0.tab=1");
        assertThat(r.symptomList()).extracting(Symptom::name).containsExactly("availability");
        assertThat(r.expression()).isEqualTo("up == 0");
    }

    @Test
    void anUnknownLanguageFallsBackToTheWords() {
        AlertReading r = READER.read(Map.of("alertname", "Disk full on db-1"),
                Map.of(AlertReader.EXPRESSION_ANNOTATION, "last(/h/system.cpu.util)>90", AlertReader.LANGUAGE_ANNOTATION, "nagios"), null);
        assertThat(r.symptomList()).extracting(Symptom::name).containsExactly("disk");
        assertThat(r.expression()).isNull();
    }
}
