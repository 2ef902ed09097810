/**
 * The health endpoint detection prefers over `/`: only routes whose full path
 * the code states, in projects shaped like public FastAPI, Flask and Django ones.
 */
import { describe, expect, it } from 'vitest';
import { detectProject } from '../../lib/detect/detect-project.js';
import { makeProject, readTree, runCli } from '../helpers/project.js';

const FASTAPI = { 'requirements.txt': 'fastapi\nuvicorn\n' };
const FLASK = { 'requirements.txt': 'flask\ngunicorn\n' };
const DJANGO = {
  'requirements.txt': 'django\ngunicorn\n',
  'manage.py': "import os\nos.environ.setdefault('DJANGO_SETTINGS_MODULE', 'mysite.settings')\n",
  'mysite/__init__.py': '',
  'mysite/settings.py': "WSGI_APPLICATION = 'mysite.wsgi.application'\nROOT_URLCONF = 'mysite.urls'\n",
  'mysite/wsgi.py': '',
};
const detected = (files: Record<string, string>) => {
  const d = detectProject(makeProject(files));
  return { value: d.answers.healthPath, source: d.sources.healthPath };
};

describe('health path detection', () => {
  it('FastAPI: a route on the app, the most telling name winning over the rest', () => {
    const main =
      'from fastapi import FastAPI\napp = FastAPI()\n\n@app.get("/")\ndef home(): ...\n\n@app.get("/ping")\ndef ping(): ...\n\n@app.get("/healthz")\nasync def healthz(): ...\n';
    expect(detected({ ...FASTAPI, 'main.py': main })).toEqual({
      value: '/healthz',
      source: '@app.…("/healthz") in main.py',
    });
  });

  it('FastAPI: a route on a router mounted without a prefix, in another module', () => {
    const files = {
      ...FASTAPI,
      'app/main.py':
        'from fastapi import FastAPI\nfrom app.routes import health\n\ndef get_application():\n    application = FastAPI(title="x")\n    application.include_router(health.router)\n    return application\n\napp = get_application()\n',
      'app/routes/health.py':
        'from fastapi import APIRouter, Depends\nrouter = APIRouter(tags=["ops"])\n\n@router.get("/health")\ndef health(): ...\n',
    };
    expect(detected(files).value).toBe('/health');
  });

  it.each([
    [
      'a router with its own prefix',
      'router = APIRouter(dependencies=[Depends(auth)], prefix="/v1")\n',
      'app.include_router(router)\n',
    ],
    ['a router mounted under a prefix', 'router = APIRouter()\n', 'app.include_router(router, prefix="/api")\n'],
  ])('FastAPI: not %s (its full path is not what the code says)', (_, declare, mount) => {
    const files = {
      ...FASTAPI,
      'main.py': `from fastapi import FastAPI\nfrom routes import router\napp = FastAPI()\n${mount}`,
      'routes.py': `from fastapi import APIRouter, Depends\n${declare}\n@router.get("/health")\ndef health(): ...\n`,
    };
    expect(detected(files).value).toBeUndefined();
  });

  it('FastAPI and Flask: a router or blueprint included without a prefix serves at the root, beside others mounted under one', () => {
    const fastapi = {
      ...FASTAPI,
      'app/main.py':
        'from fastapi import FastAPI\nfrom app.routes import items, ping\nfrom app.routes.admin import router as admin_router\n\napp = FastAPI()\napp.include_router(ping.router)\napp.include_router(items.router, prefix="/items")\napp.include_router(admin_router, prefix="/admin")\n',
      'app/routes/ping.py':
        'from fastapi import APIRouter\nrouter = APIRouter()\n\n@router.get("/ping")\ndef ping(): ...\n',
      'app/routes/items.py':
        'from fastapi import APIRouter\nrouter = APIRouter()\n\n@router.get("/health")\ndef health(): ...\n',
      'app/routes/admin.py':
        'from fastapi import APIRouter\nrouter = APIRouter()\n\n@router.get("/healthz")\ndef healthz(): ...\n',
    };
    expect(detected(fastapi)).toEqual({ value: '/ping', source: '@router.…("/ping") in app/routes/ping.py' });
    const flask = {
      ...FLASK,
      'app.py':
        "from flask import Flask\nfrom ops import bp\nfrom shop import shop\napp = Flask(__name__)\napp.register_blueprint(bp)\napp.register_blueprint(shop, url_prefix='/shop')\n",
      'ops.py': "from flask import Blueprint\nbp = Blueprint('ops', __name__)\n\n@bp.get('/ping')\ndef ping(): ...\n",
      'shop.py':
        "from flask import Blueprint\nshop = Blueprint('shop', __name__)\n\n@shop.get('/healthz')\ndef healthz(): ...\n",
    };
    expect(detected(flask).value).toBe('/ping');
  });

  it('Flask: @app.route on the app; not a blueprint registered under a url_prefix; never tests', () => {
    const app =
      "from flask import Flask\napp = Flask(__name__)\n\n@app.route('/ping', methods=['GET'])\ndef ping():\n    return 'pong'\n";
    expect(detected({ ...FLASK, 'app.py': app }).value).toBe('/ping');
    const blueprint = {
      ...FLASK,
      'app.py':
        "from flask import Flask\nfrom ops import bp\napp = Flask(__name__)\napp.register_blueprint(bp, url_prefix='/ops')\n",
      'ops.py':
        "from flask import Blueprint\nbp = Blueprint('ops', __name__)\n\n@bp.get('/health')\ndef health(): ...\n",
      'tests/test_app.py': "from flask import Flask\napp = Flask(__name__)\n@app.get('/health')\ndef h(): ...\n",
    };
    expect(detected(blueprint).value).toBeUndefined();
  });

  it('Django: a health path in the root URLconf, or django-health-check included there', () => {
    const own =
      "from django.urls import include, path\nurlpatterns = [\n    path('admin/', admin.site.urls),\n    path('api/', include('api.urls')),\n    path('healthz/', views.healthz, name='healthz'),\n]\n";
    expect(detected({ ...DJANGO, 'mysite/urls.py': own })).toEqual({
      value: '/healthz/',
      source: 'path("healthz/") in mysite/urls.py',
    });
    const library =
      "from django.urls import include, path\nurlpatterns = [\n    path('ht/', include('health_check.urls')),\n]\n";
    expect(detected({ ...DJANGO, 'mysite/urls.py': library }).value).toBe('/ht/');
    const none =
      "from django.urls import include, path\nurlpatterns = [path('', views.home), path('status/', views.status)]\n";
    expect(detected({ ...DJANGO, 'mysite/urls.py': none }).value).toBeUndefined();
  });

  it('lands in the HEALTHCHECK, shown with where it came from; --health-path overrides it', async () => {
    const dir = makeProject({
      ...FASTAPI,
      'main.py': 'from fastapi import FastAPI\napp = FastAPI()\n\n@app.get("/health")\ndef health(): ...\n',
    });
    const run = await runCli(dir, ['--yes']);
    expect(run.stdout).toContain('health-path     /health (@app.…("/health") in main.py)');
    expect(readTree(dir).Dockerfile).toContain("'http://127.0.0.1:8000/health'");
    await runCli(dir, ['--health-path', '/livez']);
    expect(readTree(dir).Dockerfile).toContain("'http://127.0.0.1:8000/livez'");
  });
});
