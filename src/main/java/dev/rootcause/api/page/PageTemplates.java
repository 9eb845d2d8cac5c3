package dev.rootcause.api.page;

import io.quarkus.qute.CheckedTemplate;
import io.quarkus.qute.TemplateInstance;

/**
 * The pages' Qute templates, {@code src/main/resources/templates/pages/*.html}, checked at build time. Their suffix
 * makes Qute escape every value it writes (text/html), so label values and annotations can hold any text.
 */
@CheckedTemplate(basePath = "pages")
final class PageTemplates {

    private PageTemplates() {
    }

    static native TemplateInstance incidents(PageViews.ListPage page);

    static native TemplateInstance incident(PageViews.IncidentPage page);

    static native TemplateInstance login(PageViews.LoginPage page);

    /** A page that only says why not: {@code message}, with a link to {@code back}. */
    static native TemplateInstance refused(String base, String message, String back);
}
