from django.urls import path, re_path

from . import feeds, views

app_name = "features"

urlpatterns = [
    path("", views.home, name="home"),
    path("features/", views.archive, name="archive"),
    path("series/", views.series_index, name="series_index"),
    path("tags/", views.tag_index, name="tag_index"),
    path("feed/", feeds.SiteFeed(), name="feed"),
    path("feed/atom/", feeds.SiteAtomFeed(), name="feed_atom"),
    path("features/<slug:slug>/", views.feature_detail, name="detail"),
    path("series/<slug:slug>/", views.series_detail, name="series"),
    path("search/", views.search_results, name="search"),
    path("series/<slug:slug>/feed/", feeds.SeriesFeed(), name="series_feed"),
    path("series/<slug:slug>/feed/atom/", feeds.SeriesAtomFeed(), name="series_feed_atom"),
    path("preview/<str:token>/", views.shared_preview, name="share"),
    # Tag slugs keep accented letters (“ciencia-ficción”).
    re_path(r"^tags/(?P<slug>[-\w]+)/$", views.tag_detail, name="tag"),
    re_path(r"^tags/(?P<slug>[-\w]+)/feed/$", feeds.TagFeed(), name="tag_feed"),
    re_path(r"^tags/(?P<slug>[-\w]+)/feed/atom/$", feeds.TagAtomFeed(), name="tag_feed_atom"),
    # A person's page belongs to the people app, which knows nothing of features.
    path("people/<slug:slug>/feed/", feeds.PersonFeed(), name="person_feed"),
    path("people/<slug:slug>/feed/atom/", feeds.PersonAtomFeed(), name="person_feed_atom"),
]
