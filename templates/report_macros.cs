<?cs # report_macros.cs -- macros of the report pages (report_*.cs). ?><?cs
def:report_nav(here) ?><nav class="subnav"><a href="/report/"<?cs if:here == "home" ?> class="on"<?cs /if ?>><?cs var:Lang.report.nav_home ?></a></nav><?cs /def ?>
