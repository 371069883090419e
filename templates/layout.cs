<?cs include:"macros.cs" ?><!DOCTYPE html>
<html lang="<?cs if:Lang.Code == "en" ?>en<?cs else ?>zh-CN<?cs /if ?>">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta http-equiv="X-UA-Compatible" content="IE=edge">
<?cs if:Page.Refresh ?><meta http-equiv="refresh" content="<?cs var:Page.Refresh ?>"><?cs /if ?>
<title><?cs if:Page.Title ?><?cs var:Page.Title ?> - <?cs /if ?><?cs var:Lang.site.name ?></title>
<link rel="stylesheet" href="/static/diaodu.css">
<link rel="icon" href="/static/favicon.svg" type="image/svg+xml">
</head>
<body class="page-<?cs var:Page.Name ?>">
<header class="top">
  <div class="wrap">
    <a class="brand" href="/"><span class="logo">调</span> <?cs var:Lang.site.name ?></a>
    <nav class="top-nav">
      <?cs if:User.Login ?>
      <span class="who"><?cs var:User.Name ?> · <?cs var:User.Unit ?></span>
      <?cs call:form_post("/logout") ?><button type="submit" class="link"><?cs var:Lang.nav.logout ?></button></form>
      <?cs /if ?>
      <?cs if:Lang.Code == "en" ?><a href="/lang?to=zh_CN&amp;next=<?cs var:url_escape(CGI.Path) ?>">中文</a><?cs
      else ?><a href="/lang?to=en&amp;next=<?cs var:url_escape(CGI.Path) ?>">English</a><?cs /if ?>
    </nav>
  </div>
</header>
<main class="wrap">
<?cs include:Page.Template ?><?cs # reviewed: view_render() sets Page.Template to "<page>.cs", a page name of the code ?>
</main>
<footer class="foot"><div class="wrap"><?cs var:Lang.site.footer ?></div></footer>
</body>
</html>
