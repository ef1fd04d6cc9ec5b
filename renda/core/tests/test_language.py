def test_chinese_by_default_even_for_an_english_browser(world):
    response = world.client(None).get("/accounts/login/", HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9")
    assert response.headers["Content-Language"] == "zh-hans"
    assert "工作人员登录" in response.content.decode()


def test_english_when_chosen(world):
    client = world.client(None)
    response = client.post("/i18n/setlang/", {"language": "en", "next": "/accounts/login/"})
    assert response.status_code == 302
    response = client.get("/accounts/login/")
    assert response.headers["Content-Language"] == "en"
    assert "Staff login" in response.content.decode()


def test_unknown_language_cookie_falls_back_to_chinese(world):
    client = world.client(None)
    client.cookies["django_language"] = "xx"
    assert "工作人员登录" in client.get("/accounts/login/").content.decode()
