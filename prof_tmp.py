import os, time
os.environ["DJANGO_SETTINGS_MODULE"]="config.settings"
import django; django.setup()
from forum.models import Thread, Post
from forum.reading import post_views, POST_VIEW_FIELDS
from forum.rendering import render_posts
t=Thread.objects.select_related("board").filter(title="prof2").first()
def timeit(label, f, n=20):
    f(); s=time.perf_counter()
    for _ in range(n): r=f()
    print(label, round((time.perf_counter()-s)/n*1000,1)); return r
posts=timeit("db rows", lambda: list(Post.objects.filter(thread=t).order_by("number").values_list(*POST_VIEW_FIELDS, named=True)))
views=timeit("views", lambda: post_views(t, posts, backlinks_from=posts))
html=timeit("jinja", lambda: render_posts(views, board=t.board, thread=t))
