<?cs # macros.cs -- shared macros.  Every POST form starts with form_post(),
     so it carries the CSRF token by construction. ?><?cs
def:form_post(action) ?><form method="post" action="<?cs var:action ?>" accept-charset="utf-8"><input type="hidden" name="csrf" value="<?cs var:Csrf ?>"><?cs /def ?><?cs
def:form_error() ?><?cs if:Form.Error ?><p class="msg msg-error" role="alert"><?cs var:Form.Error ?></p><?cs /if ?><?cs /def ?><?cs
def:form_notice(text) ?><p class="msg msg-ok" role="status"><?cs var:text ?></p><?cs /def ?>
