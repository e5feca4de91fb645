import { QueryClientProvider } from '@tanstack/react-query';
import { lazy, Suspense, useEffect } from 'react';
import { BrowserRouter, Route, Routes, useNavigate } from 'react-router-dom';
import { isLoginPath, loginPathFor, setUnauthorizedHandler } from './ui/api';
import { createQueryClient } from './ui/query-client';

// The console (antd) and the phone shell (antd-mobile) are separate lazy chunks: a phone never loads antd.
const ConsoleApp = lazy(() => import('./console-app').then((m) => ({ default: m.ConsoleApp })));
const MobileApp = lazy(() => import('./mobile/mobile-app').then((m) => ({ default: m.MobileApp })));
// partners [F]: the public notice of partners, outside both shells (no login)
const PartnersNoticePage = lazy(() =>
  import('./pages/partners-notice-page').then((m) => ({ default: m.PartnersNoticePage })),
);

// ---- assessment [C2] ----
// the public notice of honours (评优评先公示), outside both shells (no login)
const HonoursNoticePage = lazy(() =>
  import('./pages/honours-notice-page').then((m) => ({ default: m.HonoursNoticePage })),
);
// ---- end assessment [C2] ----

// ---- dashboard [D] ----
// 大屏: the dashboard full-screen, outside the console's frame (it signs in through the console's login)
const BigScreenPage = lazy(() => import('./pages/big-screen-page').then((m) => ({ default: m.BigScreenPage })));
// ---- end dashboard [D] ----

// ---- notices [B] ----
// the public notice board (通知公告) and a public notice, outside both shells (no login)
const NoticeBoardPage = lazy(() => import('./pages/notice-board-page').then((m) => ({ default: m.NoticeBoardPage })));
const PublicNoticePage = lazy(() => import('./pages/notice-board-page').then((m) => ({ default: m.PublicNoticePage })));
// ---- end notices [B] ----

const queryClient = createQueryClient();

/** A 401 from any request (an expired or revoked session) goes to the login page of the shell in use. */
function UnauthorizedRedirect() {
  const navigate = useNavigate();
  useEffect(() => {
    setUnauthorizedHandler(() => {
      const { pathname, search } = window.location;
      if (isLoginPath(pathname)) return;
      const login = loginPathFor(pathname);
      const here = pathname + search;
      const next = login === '/login' && here !== '/' ? `?next=${encodeURIComponent(here)}` : '';
      navigate(login + next, { replace: true });
    });
  }, [navigate]);
  return null;
}

function Loading() {
  return <div className="linli-boot" aria-busy="true" />;
}

export function Root() {
  return (
    <QueryClientProvider client={queryClient}>
      <BrowserRouter>
        <UnauthorizedRedirect />
        <Suspense fallback={<Loading />}>
          <Routes>
            <Route path="/m/*" element={<MobileApp />} />
            <Route path="/notice/partners" element={<PartnersNoticePage />} />
            {/* ---- assessment [C2] ---- */}
            <Route path="/notice/honours" element={<HonoursNoticePage />} />
            {/* ---- end assessment [C2] ---- */}
            {/* ---- dashboard [D] ---- */}
            <Route path="/big-screen" element={<BigScreenPage />} />
            {/* ---- end dashboard [D] ---- */}
            {/* ---- notices [B] ---- */}
            <Route path="/notice/board" element={<NoticeBoardPage />} />
            <Route path="/notice/board/:id" element={<PublicNoticePage />} />
            {/* ---- end notices [B] ---- */}
            <Route path="*" element={<ConsoleApp />} />
          </Routes>
        </Suspense>
      </BrowserRouter>
    </QueryClientProvider>
  );
}
