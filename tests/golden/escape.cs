<?cs # golden test: every var: is html-escaped (Config.VarEscapeMode = html) ?>
<p><?cs var:Text ?></p>
<p title="<?cs var:Attr ?>"><?cs var:Zh ?></p>
<ul><?cs each:item = Items ?><li><?cs var:item ?></li><?cs /each ?></ul>
<p>[<?cs var:Missing ?>|<?cs var:Empty ?>]</p>
