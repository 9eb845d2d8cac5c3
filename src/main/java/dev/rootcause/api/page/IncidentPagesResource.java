package dev.rootcause.api.page;

import dev.rootcause.api.ruletest.RuleTestExportResource;
import dev.rootcause.incident.Feedback;
import dev.rootcause.incident.Incident;
import dev.rootcause.incident.IncidentLinks;
import dev.rootcause.incident.IncidentNotFoundException;
import dev.rootcause.incident.IncidentStateException;
import dev.rootcause.incident.pipeline.DiagnosisRunner;
import dev.rootcause.incident.pipeline.IncidentFeedback;
import dev.rootcause.incident.pipeline.IncidentService;
import io.vertx.core.http.HttpServerRequest;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Optional;

/**
 * The incident pages: {@code GET /} (303 to the list), {@code GET /incidents[?status=&service=&severity=]},
 * {@code GET /incidents/{id}[?done=ack|resolve|rediagnose|feedback]}, {@code GET /incidents/{id}/rule-test.zip}, and
 * the forms {@code POST /incidents/{id}/ack|resolve|rediagnose|feedback} (fields {@code csrf}; feedback also
 * {@code verdict=right|wrong} and {@code actual}), each answered 303 back to the page, or the page again with the
 * reason: 400 (a field), 403 (role or CSRF token), 404, 409 (e.g. acknowledging a resolved incident), 413/415 (a body
 * no form sends: {@link PageForm}). Without a login
 * every page answers 303 to {@code /login?next=…}.
 */
@Path("/")
@Produces(MediaType.TEXT_HTML)
public class IncidentPagesResource {

    /** What {@code ?done=} says on the page; only these, never text from the URL. */
    static final Map<String, String> DONE = Map.of("ack", "Acknowledged.", "resolve", "Resolved.",
            "rediagnose", "A new diagnosis is running; reload the page in a moment for its report.",
            "feedback", "Thank you: your verdict is recorded.");

    private final PageAccess access;
    private final IncidentPages pages;
    private final IncidentService service;
    private final IncidentFeedback feedback;
    private final DiagnosisRunner diagnoses;
    private final IncidentLinks links;
    private final RuleTestExportResource export;

    IncidentPagesResource(PageAccess access, IncidentPages pages, IncidentService service, IncidentFeedback feedback,
            DiagnosisRunner diagnoses, IncidentLinks links, RuleTestExportResource export) {
        this.access = access;
        this.pages = pages;
        this.service = service;
        this.feedback = feedback;
        this.diagnoses = diagnoses;
        this.links = links;
        this.export = export;
    }

    @GET
    public Response root() {
        return Response.seeOther(URI.create(links.link("/incidents"))).build();
    }

    @GET
    @Path("incidents")
    public Response list(@QueryParam("status") String status, @QueryParam("service") String service,
            @QueryParam("severity") String severity, @Context HttpServerRequest request) {
        Optional<PageSession> session = access.session(request);
        if (session.isEmpty()) {
            return toLogin(request);
        }
        String s = blankToNull(status);
        if (s != null && java.util.Arrays.stream(Incident.Status.values()).noneMatch(v -> v.wire().equals(s))) {
            return refused(400, "status: expected open, acknowledged, resolved or reopened.", "/incidents");
        }
        return Response.ok(PageTemplates.incidents(pages.list(viewer(session.get()), s, blankToNull(service),
                blankToNull(severity)))).build();
    }

    @GET
    @Path("incidents/{id}")
    public Response incident(@PathParam("id") String idParam, @QueryParam("done") String done,
            @Context HttpServerRequest request) {
        Optional<PageSession> session = access.session(request);
        if (session.isEmpty()) {
            return toLogin(request);
        }
        long id = id(idParam);
        if (id <= 0) {
            return refused(400, "id: expected a positive incident number, got \"" + idParam + "\".", "/incidents");
        }
        return page(id, session.get(), 200, done == null ? null : DONE.get(done), null);
    }

    @GET
    @Path("incidents/{id}/rule-test.zip")
    @Produces("application/zip")
    public Response ruleTest(@PathParam("id") String idParam, @Context HttpServerRequest request) {
        if (access.session(request).isEmpty()) {
            return toLogin(request);
        }
        return export.export(idParam);
    }

    @POST
    @Path("incidents/{id}/{action}")
    @Consumes(MediaType.WILDCARD) // the body is read by PageForm, which answers another type 415 saying what to send
    public Response act(@PathParam("id") String idParam, @PathParam("action") String action,
            @HeaderParam("Content-Type") String type, String body, @Context HttpServerRequest request) {
        Optional<PageSession> found = access.session(request);
        if (found.isEmpty()) {
            return toLogin(request);
        }
        PageSession session = found.get();
        long id = id(idParam);
        String csrf;
        String verdict;
        String actual;
        try {
            PageForm form = PageForm.parse(type, body);
            csrf = form.get("csrf", 200);
            verdict = form.get("verdict", 20);
            actual = form.get("actual", Feedback.MAX_ACTUAL);
        } catch (PageForm.Invalid e) {
            return id <= 0 ? refused(e.status, e.getMessage(), "/incidents") : page(id, session, e.status, null, e.getMessage());
        }
        String permission = switch (action) {
            case "ack" -> PageAccess.ACK;
            case "resolve" -> PageAccess.RESOLVE;
            case "rediagnose" -> PageAccess.RELOAD;
            case "feedback" -> PageAccess.FEEDBACK;
            default -> null;
        };
        if (id <= 0 || permission == null) {
            return refused(404, "There is no such page.", "/incidents");
        }
        if (csrf == null || csrf.isEmpty()) {
            return page(id, session, 403, null, "csrf: missing; the page's forms carry it. Reload the page and try again.");
        }
        if (!access.csrfMatches(session, csrf)) {
            return page(id, session, 403, null, "This form is out of date (its CSRF token does not match your login): reload the page"
                    + " and try again.");
        }
        if (!access.may(session, permission)) {
            try {
                service.record(id, "refused", session.name(), session.name() + " may not " + permission + " from the pages (missing role)");
            } catch (IncidentNotFoundException e) {
                return refused(404, e.getMessage() + ".", "/incidents");
            }
            return page(id, session, 403, null, "You need one of the roles allowed to " + permission + " ("
                    + String.join(", ", access.allowed(permission)) + "). Ask an admin to give you one.");
        }
        try {
            switch (action) {
                case "ack" -> service.acknowledge(id, session.name());
                case "resolve" -> service.resolve(id, session.name());
                case "rediagnose" -> {
                    service.requestDiagnosis(id, session.name());
                    diagnoses.wake();
                }
                default -> {
                    Feedback.Verdict v = Feedback.Verdict.of(verdict);
                    if (v == null) {
                        return page(id, session, 400, null, "verdict: expected right or wrong.");
                    }
                    // NUL cannot be stored in PostgreSQL text; a line break would forge lines in logs and timelines
                    if (actual != null && actual.chars().anyMatch(c -> Character.isISOControl(c) && c != '\n' && c != '\r' && c != '\t')) {
                        return page(id, session, 400, null, "actual: expected text without control characters.");
                    }
                    feedback.judge(id, v, actual == null ? null : actual.replaceAll("\\s*[\\r\\n]+\\s*", " "), session.name());
                }
            }
        } catch (IncidentNotFoundException e) {
            return refused(404, e.getMessage() + ".", "/incidents");
        } catch (IncidentStateException e) {
            return page(id, session, 409, null, "Cannot " + permission + ": " + e.getMessage() + ".");
        } catch (IllegalArgumentException e) {
            return page(id, session, 400, null, e.getMessage() + ".");
        }
        return Response.seeOther(URI.create(links.link("/incidents/" + id + "?done=" + action))).build();
    }

    private Response page(long id, PageSession session, int status, String notice, String error) {
        try {
            return Response.status(status).entity(PageTemplates.incident(pages.incident(id, viewer(session), notice, error))).build();
        } catch (IncidentNotFoundException e) {
            return refused(404, e.getMessage() + "; the list shows the incidents there are.", "/incidents");
        }
    }

    private PageViews.Viewer viewer(PageSession s) {
        return new PageViews.Viewer(s.name(), access.csrf(s), access.may(s, PageAccess.ACK), access.may(s, PageAccess.RESOLVE),
                access.may(s, PageAccess.RELOAD), access.may(s, PageAccess.FEEDBACK));
    }

    private Response refused(int status, String message, String back) {
        return Response.status(status).entity(PageTemplates.refused(links.base(), message, links.link(back))).build();
    }

    /** 303 to the login form, which comes back here; 403 when the client may not use the pages at all. */
    private Response toLogin(HttpServerRequest request) {
        String refusal = access.refusal(request);
        if (refusal != null) {
            return refused(403, refusal, "/incidents");
        }
        String here = request.uri();
        String target = "/login?next=" + URLEncoder.encode(here == null ? "/incidents" : here, StandardCharsets.UTF_8);
        return Response.seeOther(URI.create(links.link(target))).build();
    }

    private static long id(String text) {
        try {
            return Long.parseLong(text);
        } catch (NumberFormatException e) {
            return -1;
        }
    }

    private static String blankToNull(String s) {
        return s == null || s.isBlank() ? null : s.strip();
    }
}
