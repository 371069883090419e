<?cs # golden test: includes resolve against the template directory ?>
<div class="wrap"><?cs include:"escape.cs" ?></div>
