package dev.tandem.state;

import java.util.function.Supplier;

/** The views of {@code tandem state}, with gpstate's flags. */
public enum StateView {
    BRIEF("-b", "brief", BriefView::new),
    DETAIL("-s", "detail", DetailView::new),
    ERRORS("-e", "errors", ErrorsView::new),
    MIRRORS("-m", "mirrors", MirrorsView::new),
    CONFIG("-c", "config", ConfigView::new),
    PORTS("-p", "ports", PortsView::new),
    STANDBY("-f", "standby", StandbyView::new),
    QUICK("-Q", "quick", QuickView::new),
    PIPE("--segmentStatusPipeSeparatedForTableUse", "pipe", PipeView::new);

    private final String flag;
    private final String jsonName;
    private final Supplier<ViewRenderer> renderer;

    StateView(String flag, String jsonName, Supplier<ViewRenderer> renderer) {
        this.flag = flag;
        this.jsonName = jsonName;
        this.renderer = renderer;
    }

    public String flag() {
        return flag;
    }

    public String jsonName() {
        return jsonName;
    }

    /**
     * Whether the problems this view lists make the command exit ATTENTION. Not for the brief view: Greenplum's
     * gpstate -b (its default) exits 0 whatever its summary shows, and scripts written for it ask -e instead.
     */
    public boolean problemsSetExitCode() {
        return this != BRIEF;
    }

    ViewRenderer renderer() {
        return renderer.get();
    }
}
