var e,t,n,r,i,a,o,s,c,l,u,d=Symbol.for(`pv`),f={},p=[],m=/^m(i|n|o|s|text|space)$/,h=Array.isArray,g=p.slice,_=Object.assign;function v(e){e&&e.parentNode&&e.remove()}function y(n,r,i,a,o){var s={type:n,props:r,key:i,ref:a,__k:null,__:null,__b:0,__e:null,__c:null,constructor:d,__v:o||++t,__i:-1,__u:0};return!o&&e.vnode&&e.vnode(s),s}function b(e){return e.children}function x(e,t){this.props=e,this.context=t,this.__g=0}function S(e,t){if(t==null)return e.__&&S(e.__,e.__i+1);for(var n;t<e.__k.length;t++)if((n=e.__k[t])&&n.__e)return n.__e;return typeof e.type!=`function`||e.props.__P?null:S(e)}function C(t){var n,r=t.__v,i=r.__e,a=[],o=[],s=t.__P;s&&((n=_({constructor:d},r)).__v=r.__v+1,e.vnode&&e.vnode(n),M(s,n,r,t.__n,s.namespaceURI,32&r.__u?[i]:null,a,i||S(r),32&r.__u,o),n.__v=r.__v,n.__.__k[n.__i]=n,ie(a,n,o),r.__=r.__e=null,n.__e!=i&&w(n))}function w(e){if((e=e.__)&&e.__c&&!e.props.__P)return e.__e=null,e.__k.some(function(t){return t&&(e.__e=t.__e)}),w(e)}function T(t){(8&t.__g||(t.__g|=8,n.push(t),i++))&&r==e.debounceRendering||((r=e.debounceRendering)||queueMicrotask)(E)}function E(){try{for(var e,t=1;n.length;)n.length>t&&n.sort(a),e=n.shift(),t=n.length,8&e.__g&&C(e)}finally{(i=n.length)&&(r||queueMicrotask)(E)}}function ee(e,t,n,r,i,a,o,s,c,l,u){var d,m,h,g,_,v,y=r.__k||p,b=t.length;for(c=D(n,t,y,c,b),d=0;d<b;d++)(h=n.__k[d])!=null&&(m=~h.__i&&y[h.__i]||f,h.__i=d,v=M(e,h,m,i,a,o,s,c,l,u),g=h.__e,(m.ref!=h.ref||8&m.__u)&&(m.ref&&N(m.ref,null,h,m),h.ref&&u.push(h.ref,h.__c||g,h)),_||=g,4&h.__u?(c=O(h,c,e,!m.__v),m.__e&&(m.__e=null)):typeof h.type==`function`&&v!==void 0?c=v:g&&(c=g.nextSibling),h.__u&=-21);return n.__e=_,c}function D(e,t,n,r,i){var a,o,s,c,l,u,f,p,m,g=n.length,_=g,v=0,x=0,C=e.__k=Array(i);for(a=0;a<i;a++)(o=t[a])!=null&&typeof o!=`boolean`&&typeof o!=`function`?(typeof o!=`object`||o.constructor===String?o=C[a]=y(null,o):h(o)?o=C[a]=y(b,{children:o}):o.constructor===d&&o.__b?o=C[a]=y(o.type,o.props,o.key,o.ref,o.__v):C[a]=o,c=a+v,o.__=e,o.__b=e.__b+1,s=null,~(l=o.__i=k(o,n,c,_))&&(_--,(s=n[l])&&(s.__u|=2)),s&&s.__v?(o.__u|=16,l==c-1?v--:l==c+1?v++:l!=c&&(l>c?v--:v++,x=1)):(~l||(i>g?v--:i<g&&v++),typeof o.type!=`function`&&(o.__u|=4))):C[a]=null;if(x){for(u=[],f=[],a=0;a<i;a++)if((o=C[a])&&16&o.__u){for(v=0,p=u.length;v<p;)u[m=v+p>>1]<o.__i?v=m+1:p=m;u[v]=o.__i,f[a]=v+1}for(v=u.length;a--;)f[a]&&(f[a]==v?v--:C[a].__u|=4)}if(_)for(a=0;a<g;a++)!(s=n[a])||2&s.__u||(s.__e==r&&(r=S(s)),oe(s,s));return r}function O(e,t,n,r){var i,a,o,s;if(typeof e.type==`function`){if(e.props.__P)return t;if(i=e.__k)for(a=0;a<i.length;a++)i[a]&&(i[a].__=e,t=O(i[a],t,n,!1));return t}for(t&&!t.parentNode&&(t=S(e))&&!t.parentNode&&(t=null),o=e.__e,s=t;s&&s.nodeType==8;)s=s.nextSibling;for(o!=s&&(!r&&n.moveBefore&&o.parentNode?n.moveBefore(o,t):n.insertBefore(o,t||null)),t=o;(t&&=t.nextSibling)&&t.nodeType==8&&!t.data.startsWith(`$s`););return t}function k(e,t,n,r){var i,a=e.key,o=e.type,s=t[n],c=s&&!(2&s.__u);if(s===null&&a==null||c&&a==s.key&&o==s.type)return n;if(r>+!!c){for(i=n-1;i>=0;i--)if((s=t[i])&&!(2&s.__u)&&a==s.key&&o==s.type)return i;for(i=n+1;i<t.length;i++)if((s=t[i])&&!(2&s.__u)&&a==s.key&&o==s.type)return i}return-1}function A(e,t,n){n??=``,t[0]==`-`?e.setProperty(t,n):e[t]=n}function j(e,t,n,r,i){var a,o;if(t==`style`){if(typeof n==`string`)e.style.cssText=n;else{if(typeof r==`string`&&(e.style.cssText=r=``),r)for(t in r)n&&t in n||A(e.style,t);if(n)for(t in n)r&&n[t]==r[t]||A(e.style,t,n[t])}}else if(t[0]==`o`&&t[1]==`n`)typeof n!=`function`&&(n=null),typeof r!=`function`&&(r=null),(e.__e||={})[t]=n,n&&r||(o=l[t]||(l[t]=te(t)),(e.__a||={})[t]=c,a=t!=(t=t.replace(s,`$1`)),(t=t.slice(2))[0]<`a`&&(t=t.toLowerCase()),n?e.addEventListener(t,o,a):e.removeEventListener(t,o,a));else{if(i==`http://www.w3.org/2000/svg`)t=t.replace(/xlink(H|:h)/,`h`).replace(/sName$/,`s`);else if(t!=`width`&&t!=`height`&&t!=`href`&&t!=`list`&&t!=`form`&&t!=`tabIndex`&&t!=`download`&&t!=`rowSpan`&&t!=`colSpan`&&t!=`role`&&t!=`popover`&&t in e)try{e[t]=n??``;return}catch{}if(typeof n==`function`)return;n==null||!1===n&&t[4]!=`-`?e.removeAttribute(t):e.setAttribute(t,t==`popover`&&n==1?``:n)}}function te(t){return function(n){var r=this.__e;if(r){if(r=r[t],n[o]==null)n[o]=c++;else if(n[o]<this.__a[t])return;return r(e.event?e.event(n):n)}}}function M(t,n,r,i,a,o,s,c,l,u){var f,m,g,y,C,w,T,E,D,O,k,A,j,te,M,ie,N,P,F=n.type;if(n.constructor!==d)return null;128&r.__u&&(l=32&r.__u,f=r.__c.__z)&&(n.__u|=l,m=o=[],f.nodeType==8?c=ne(f,o):o.push(f),c=o[0]||c),(f=e.__b)&&f(n);e:if(typeof F==`function`){g=s.length;try{if(E=n.props,D=(f=F.prototype)&&f.render,O=(f=F.contextType)&&i[f.__c],k=f?O?O.props.value:f.__:i,(y=r.__c)?(n.__c=y,2&y.__g&&(y.__g|=1)):(D?n.__c=y=new F(E,k):(n.__c=y=new x(E,k),y.constructor=F,y.render=se),O&&O.sub(y),y.state||(y.state={}),y.__n=i,y.__g|=8,y.__h=[],y.__k=[]),D&&(y.__s||(y.__s=y.state),F.getDerivedStateFromProps&&(y.__s==y.state&&(y.__s=_({},y.__s)),_(y.__s,F.getDerivedStateFromProps(E,y.__s)))),C=y.props,w=y.state,y.__v=n,r.__c){if(E!==C&&D&&!F.getDerivedStateFromProps&&y.componentWillReceiveProps&&y.componentWillReceiveProps(E,k),n.__v==r.__v&&!(8&y.__g)||!(4&y.__g)&&y.shouldComponentUpdate&&!1===y.shouldComponentUpdate(E,y.__s,k)){n.__v!=r.__v&&(y.props=E,y.state=y.__s,y.__g&=-9),n.__e=r.__e,n.__k=r.__k,n.__k.some(function(e){e&&(e.__=n)}),p.push.apply(y.__h,y.__k),y.__k=[],y.__h.length&&s.push(y),c=S(r);break e}y.componentWillUpdate&&y.componentWillUpdate(E,y.__s,k),D&&y.componentDidUpdate&&y.__h.push(function(){y.componentDidUpdate(C,w,T)})}else D&&!F.getDerivedStateFromProps&&y.componentWillMount&&y.componentWillMount(),D&&y.componentDidMount&&y.__h.push(y.componentDidMount);y.context=k,y.props=E,y.__P=t,y.__g&=-5,A=e.__r,j=D?25:0;do y.__g&=-9,A&&A(n),f=y.render(y.props,y.state=y.__s,y.context);while(8&y.__g&&++j<25);D&&(p.push.apply(y.__h,y.__k),y.__k=[]),y.state=y.__s,y.getChildContext&&(i=_({},i,y.getChildContext())),D&&r.__c&&y.getSnapshotBeforeUpdate&&(T=y.getSnapshotBeforeUpdate(C,w)),te=f&&f.type===b&&f.key==null?f.props.children:f,E.__P&&(f=c,a=(t=E.__P).namespaceURI,l=o=null,r.props&&r.props.__P!=t&&(r.__k.some(function(e){e&&oe(e,e)}),r.__k=null),c=r.__k?S(r,0):null),c=ee(t,h(te)?te:[te],n,r,i,a,o,s,c,l,u),E.__P&&(n.__e=null,c=f),n.__u&=-161,m&&m.some(v),y.__h.length&&s.push(y),1&y.__g&&(y.__g&=-4)}catch(t){if(s.length=g,n.__v=null,l||o){if(t&&t.then){if(n.__u|=128|l,o){for(~(N=o.indexOf(c||void 0))||(N=o.length);(P=o[N-1])&&P.nodeType==8;)N--;for(;N<o.length;N++)if(P=o[N]){if(o[N]=null,M){if(P==ie)break}else{if(P.nodeType!=8)break;P.data.startsWith(`$s`)&&(ie=ne(M=P))}}}if(!M){for(;c&&c.nodeType==8&&c.nextSibling;)c=c.nextSibling;M=c}(f=ne(M=n.__c.__z||(n.__c.__z=M)))?(n.__e=M,c=f):n.__e=c,c&&=c.nextSibling}else o&&o.some(v)}else n.__e=r.__e;n.__k||=r.__k||[],t&&t.then||re(n),e.__e(t,n,r)}}else c=n.__e=ae(r.__e,n,r,i,a,o,s,l,u,t);return(f=e.diffed)&&f(n),c}function ne(e,t){if(e&&e.nodeType==8&&e.data.startsWith(`$s`))for(var n=1;e=e.nextSibling;){if(e.nodeType==8){if(e.data.startsWith(`$s`))n++;else if(e.data.startsWith(`/$s`)&&!--n)return e}t&&t.push(e)}}function re(e){e&&(e.__c&&(e.__c.__g|=4),e.__k&&e.__k.some(re))}function ie(t,n,r){for(var i=0;i<r.length;)N(r[i++],r[i++],r[i++]);e.__c&&e.__c(n,t),t.some(function(n){try{t=n.__h,n.__h=[],t.some(function(e){e.call(n)})}catch(t){e.__e(t,n.__v)}})}function ae(t,n,r,i,a,o,s,c,l,u){var d,p,_,y,b,x,C,w,T=r.props||f,E=n.props,D=n.type;if(D==`svg`?a=`http://www.w3.org/2000/svg`:D==`math`?a=`http://www.w3.org/1998/Math/MathML`:a||=`http://www.w3.org/1999/xhtml`,o){for(d=0;d<o.length;d++)if((b=o[d])&&(D?b.localName==D:b.nodeType==3)){t=b,o[d]=null;break}}if(!t){if(w=u.ownerDocument||document,!D)return w.createTextNode(E);t=w.createElementNS(a,D,E.is?E:u),c&&=(e.__m&&e.__m(n,o),!1),o=null}if(D){if(u=D==`template`&&t.content||t,o=D==`textarea`&&E.defaultValue!=null?null:o&&g.call(u.childNodes),!c&&o)for(T={},d=0;d<t.attributes.length;d++)T[(b=t.attributes[d]).name]=b.value;for(d in T)b=T[d],d==`dangerouslySetInnerHTML`?_=b:d==`children`||d in E||d==`value`&&`defaultValue`in E||d==`checked`&&`defaultChecked`in E||j(t,d,null,b,a);for(d in E)b=E[d],d==`children`?y=b:d==`dangerouslySetInnerHTML`?p=b:d==`value`?x=b:d==`checked`?C=b:c&&typeof b!=`function`||T[d]===b||j(t,d,b,T[d],a);p?(c||_&&(p.__html==_.__html||p.__html==t.innerHTML)||(t.innerHTML=p.__html),n.__k=[]):(_&&(t.textContent=``),(D==`foreignObject`||a==`http://www.w3.org/1998/Math/MathML`&&m.test(D))&&(a=`http://www.w3.org/1999/xhtml`),ee(u,h(y)?y:[y],n,r,i,a,o,s,o?o[0]:r.__k&&S(r,0),c,l),o&&o.some(v)),c&&D!=`textarea`||(d=`value`,D==`progress`&&x==null?t.removeAttribute(d):x==null||x===t[d]&&(D!=`progress`||x)||j(t,d,x,T[d],a),d=`checked`,C!=null&&C!=t[d]&&j(t,d,C,T[d],a))}else T===E||c&&t.data==E||(t.data=E);return t}function N(t,n,r,i){try{typeof t==`function`?n?n.__x=t(n)||1:(i&&=i.__c||i.__e)&&(n=i.__x)&&(i.__x=null,typeof n==`function`?n():t(null)):t.current=n}catch(t){e.__e(t,r)}}function oe(t,n,r){var i,a,o,s;if(e.unmount&&e.unmount(t),!(i=t.ref)||i.current&&i.current!=t.__e||N(i,null,n,t),i=t.__c){if(i.componentWillUnmount)try{i.componentWillUnmount()}catch(t){e.__e(t,n)}i.__P=i.__n=null}if(i=t.__k)for(s=0;s<i.length;s++)i[s]&&oe(i[s],n,typeof t.type!=`function`||r&&!t.props.__P);!r&&(i=t.__c)&&(i=i.__z)&&(a=ne(i,o=[]))&&(i==t.__e&&o.some(v),v(a),v(i)),r||v(t.__e),t.__e=t.__c=t.__=null}function se(e,t,n){return this.constructor(e,n)}function P(t,n){var r,i,a,o;e.__&&e.__(t,n),n.nodeType==9&&(n=n.documentElement),i=(r=t&&32&t.__u)?null:n.__k,n.__k=y(b,{children:[t]}),a=[],o=[],M(n,n.__k,i||f,f,n.namespaceURI,i?null:n.firstChild?g.call(n.childNodes):null,a,i?i.__e:n.firstChild,r,o),ie(a,n.__k,o),n.__k.props.children=null}function F(e){function t(e){var n,r;return this.getChildContext||(n=new Set,(r={})[t.__c]=this,this.getChildContext=function(){return r},this.shouldComponentUpdate=function(e){this.props.value!=e.value&&n.forEach(function(e){e.__g|=4,T(e)})},this.sub=function(e){n.add(e);var t=e.componentWillUnmount;e.componentWillUnmount=function(){n.delete(e),t&&t.call(e)}}),e.children}return t.__c=`__cC`+u++,t.__=e,t.Provider=(t.Consumer=function(e,t){return e.children(t)}).contextType=t,t}e={__e:function(e,t,n,r){for(var a,o,s;t=t.__;)if((a=t.__c)&&!(1&a.__g)){a.__g|=4;try{if((s=(o=a.constructor)&&o.getDerivedStateFromError)&&a.setState(o.getDerivedStateFromError(e)),a.componentDidCatch&&(a.componentDidCatch(e,r||{}),s=1),s&&8&a.__g)return void(a.__g|=2)}catch(t){e=t}}throw i=0,e}},t=0,x.prototype.setState=function(e,t){var n=this.__s;n&&n!=this.state||(n=this.__s=_({},this.state)),typeof e==`function`&&(e=e(_({},n),this.props)),e&&(_(n,e),this.__v&&(t&&this.__k.push(t),T(this)))},x.prototype.forceUpdate=function(e){this.__v&&(this.__g|=4,e&&this.__h.push(e),T(this))},x.prototype.render=b,n=[],i=0,a=function(e,t){return e.__v.__b-t.__v.__b},o=Symbol(),s=/(PointerCapture)$|Capture$/i,c=0,l={},u=0;var ce,I,le,ue,de=Object.is,fe=0,pe=[],me=[],L=e,he=L.__b,ge=L.__r,_e=L.diffed,ve=L.__c,ye=L.unmount,be=L.__;function xe(e,t){L.__h&&L.__h(I,e,fe||t),fe=0;var n=I.__H||(I.__H={__:[],__h:[]});return e>=n.__.length&&n.__.push({}),n.__[e]}function R(e){return fe=1,Se(je,e)}function Se(e,t,n){var r=xe(ce++,2);if(r.t=e,!r.__c&&(r.__=[n?n(t):je(void 0,t),function(e){var t=(r.__N||r.__)[0],n=r.t(t,e);de(t,n)||(r.__N=[n,r.__[1]],r.__c.setState({}))}],r.__c=I,!I.__f)){I.__f=!0;var i=I.shouldComponentUpdate;I.shouldComponentUpdate=function(e,t,n){var r=this.__H;if(!r)return!0;var a=!1,o=this.props!=e;if(r.__.some(function(e){e.__N&&(a=!0,de(e.__[0],e.__N[0])||(o=!0))}),i){var s=i.call(this,e,t,n);return a?s||o:s}return!a||o}}return r.__}function z(e,t){var n=xe(ce++,3);!L.__s&&Ae(n.__H,t)&&(n.__P=!0,n.__=e,n.u=t,I.__H.__h.push(n))}function Ce(e){var t=I.context[e.__c],n=xe(ce++,9);return n.c=e,t?(n.__??(n.__=!0,t.sub(I)),t.props.value):e.__}function we(){var e;do{for(;e=me.shift();)try{Oe(e)}catch(t){L.__e(t,{__:(e=e.__P)&&e.__v})}for(;e=pe.shift();){var t=e.__H;if(e.__P&&t)try{t.__h.some(Oe),t.__h.some(ke),t.__h=[]}catch(n){t.__h=[],L.__e(n,e.__v)}}}while(me.length)}L.__b=function(e){I=null,he&&he(e)},L.__=function(e,t){e&&t.__k&&t.__k.__m&&(e.__m=t.__k.__m),be&&be(e,t)},L.__r=function(e){ge&&ge(e),ce=0;var t=(I=e.__c).__H;t&&(le==I?I.__h=[]:(t.__h.some(Oe),t.__h.some(ke),ce=0),t.__h=[],t.__.some(function(e){e.__N&&(e.__=e.__N),e.u=e.__N=void 0})),le=I},L.diffed=function(e){_e&&_e(e);var t=e.__c;t&&t.__H&&(t.__H.__h.length&&De(pe.push(t)),t.__H.__.some(function(e){e.u&&(e.__H=e.u)})),le=I=null},L.__c=function(e,t){t.some(function(e){try{e.__h.some(Oe),e.__h=e.__h.filter(function(e){return!e.__||ke(e)})}catch(t){e.__h=[function(){throw t}]}}),ve&&ve(e,t)},L.unmount=function(e){ye&&ye(e);var t,n,r=e.__c;r&&r.__H&&(r.__H.__.some(function(r){try{if(r.__P&&r.__c){if(n===void 0){for(n=e.__;n&&(!n.__c||!n.__c.__P);)n=n.__;n&&=n.__c}r.__P=n,De(me.push(r))}else Oe(r)}catch(e){t=e}}),r.__H=void 0,t&&L.__e(t,r.__v))};var Te=typeof requestAnimationFrame==`function`;function Ee(e){var t,n=function(){clearTimeout(r),Te&&cancelAnimationFrame(t),setTimeout(e)},r=setTimeout(n,35);Te&&(t=requestAnimationFrame(n))}function De(e){e!=1&&ue==L.requestAnimationFrame||((ue=L.requestAnimationFrame)||Ee)(we)}function Oe(e){var t=I,n=e.__c;typeof n==`function`&&(e.__c=void 0,n()),I=t}function ke(e){var t=I;e.__c=e.__(),I=t}function Ae(e,t){return!e||e.length!=t.length||t.some(function(t,n){return!de(t,e[n])})}function je(e,t){return typeof t==`function`?t(e):t}var Me={UNAUTHENTICATED:`Please sign in again.`,FORBIDDEN:`Your role may not do this.`,NOT_FOUND:`Not found.`,VALIDATION_FAILED:`Please check what you entered.`,CONFLICT:`This conflicts with the current state.`,INVALID_CODE:`That code is not right.`,CODE_EXPIRED:`That code has expired: start again.`,TOO_MANY_ATTEMPTS:`Too many attempts.`,RATE_LIMITED:`Too many requests: wait a little.`,LOCKED:`This account is locked for now.`,KYC_REQUIRED:`Identity verification is needed first.`,MAINTENANCE:`Gatehouse is in maintenance.`,ACCESS_RESTRICTED:`Access from here is restricted.`,UNAVAILABLE:`Gatehouse is busy: try again shortly.`,INTERNAL:`Something went wrong on the server.`,NETWORK:`No connection to Gatehouse.`};function Ne(e,t,n={}){let r=Me[e]??e,i=Object.entries(n).map(([e,t])=>`${e}: ${t}`),a=i.length>0?i.join(`; `):t;return a&&a!==r?`${r} ${a}`:r}var B=class extends String{__apiType;value;__meta__;constructor(e,t){super(e),this.value=e,this.__meta__=t}toString(){return this.value}},Pe={"\n  mutation SignIn($input: SignInInput!) {\n    signIn(input: $input) {\n      status\n      challenge { id channel destination }\n      auth { accessToken refreshToken accessTokenExpiresAt user { id name email phone role } }\n    }\n  }\n":new B(`
    mutation SignIn($input: SignInInput!) {
  signIn(input: $input) {
    status
    challenge {
      id
      channel
      destination
    }
    auth {
      accessToken
      refreshToken
      accessTokenExpiresAt
      user {
        id
        name
        email
        phone
        role
      }
    }
  }
}
    `),"\n  mutation SignInWithPin($input: SignInWithPinInput!) {\n    signInWithPin(input: $input) {\n      status\n      challenge { id channel destination }\n      auth { accessToken refreshToken accessTokenExpiresAt user { id name email phone role } }\n    }\n  }\n":new B(`
    mutation SignInWithPin($input: SignInWithPinInput!) {
  signInWithPin(input: $input) {
    status
    challenge {
      id
      channel
      destination
    }
    auth {
      accessToken
      refreshToken
      accessTokenExpiresAt
      user {
        id
        name
        email
        phone
        role
      }
    }
  }
}
    `),"\n  mutation VerifySignIn($input: VerifySignInInput!) {\n    verifySignIn(input: $input) { accessToken refreshToken accessTokenExpiresAt user { id name email phone role } }\n  }\n":new B(`
    mutation VerifySignIn($input: VerifySignInInput!) {
  verifySignIn(input: $input) {
    accessToken
    refreshToken
    accessTokenExpiresAt
    user {
      id
      name
      email
      phone
      role
    }
  }
}
    `),"\n  mutation VerifyDeviceSignIn($input: VerifyDeviceSignInInput!) {\n    verifyDeviceSignIn(input: $input) { accessToken refreshToken accessTokenExpiresAt user { id name email phone role } }\n  }\n":new B(`
    mutation VerifyDeviceSignIn($input: VerifyDeviceSignInInput!) {
  verifyDeviceSignIn(input: $input) {
    accessToken
    refreshToken
    accessTokenExpiresAt
    user {
      id
      name
      email
      phone
      role
    }
  }
}
    `),"\n  mutation Refresh($input: RefreshSessionInput!) {\n    refreshSession(input: $input) { accessToken refreshToken accessTokenExpiresAt user { id name email phone role } }\n  }\n":new B(`
    mutation Refresh($input: RefreshSessionInput!) {
  refreshSession(input: $input) {
    accessToken
    refreshToken
    accessTokenExpiresAt
    user {
      id
      name
      email
      phone
      role
    }
  }
}
    `),"\n  mutation SignOut { signOut }\n":new B(`
    mutation SignOut {
  signOut
}
    `),"\n  query Whoami { me { id name email phone role } myPermissions }\n":new B(`
    query Whoami {
  me {
    id
    name
    email
    phone
    role
  }
  myPermissions
}
    `),"\n  query Users($filter: UserFilter, $orderBy: UserOrder, $first: Int, $after: String, $kyc: Boolean!) {\n    users(filter: $filter, orderBy: $orderBy, first: $first, after: $after) {\n      totalCount\n      totalCountExact\n      pageInfo { hasNextPage endCursor }\n      edges { cursor node { id name email phone role state level countryCode createdAt lastSignInAt kycStatus @include(if: $kyc) } }\n    }\n  }\n":new B(`
    query Users($filter: UserFilter, $orderBy: UserOrder, $first: Int, $after: String, $kyc: Boolean!) {
  users(filter: $filter, orderBy: $orderBy, first: $first, after: $after) {
    totalCount
    totalCountExact
    pageInfo {
      hasNextPage
      endCursor
    }
    edges {
      cursor
      node {
        id
        name
        email
        phone
        role
        state
        level
        countryCode
        createdAt
        lastSignInAt
        kycStatus @include(if: $kyc)
      }
    }
  }
}
    `),"\n  query UserDetail(\n    $id: ID!\n    $profile: Boolean!\n    $kyc: Boolean!\n    $labels: Boolean!\n    $phones: Boolean!\n    $documents: Boolean!\n    $selfie: Boolean!\n    $devices: Boolean!\n    $accounts: Boolean!\n  ) {\n    user(id: $id) {\n      id name email phone pendingPhone role state level countryCode hasPin hasPassword totpEnabled\n      referralCode createdAt lastSignInAt\n      kycStatus @include(if: $kyc)\n      kycRejectionReason @include(if: $kyc)\n      profile @include(if: $profile) { firstName lastName dateOfBirth address postcode city country confirmed }\n      labels @include(if: $labels) { key value scope description updatedAt }\n      phones @include(if: $phones) { id number verified verifiedAt createdAt }\n      documents @include(if: $documents) {\n        id type number expiresOn createdAt\n        front { id contentType url }\n        back { id contentType url }\n      }\n      selfie @include(if: $selfie) { id createdAt image { id contentType url } }\n      devices @include(if: $devices) { id deviceId name trusted createdAt lastSeenAt }\n      accounts @include(if: $accounts) {\n        id email subAccountId active createdAt\n        portfolios { id name type address publicStrategy createdAt }\n      }\n    }\n  }\n":new B(`
    query UserDetail($id: ID!, $profile: Boolean!, $kyc: Boolean!, $labels: Boolean!, $phones: Boolean!, $documents: Boolean!, $selfie: Boolean!, $devices: Boolean!, $accounts: Boolean!) {
  user(id: $id) {
    id
    name
    email
    phone
    pendingPhone
    role
    state
    level
    countryCode
    hasPin
    hasPassword
    totpEnabled
    referralCode
    createdAt
    lastSignInAt
    kycStatus @include(if: $kyc)
    kycRejectionReason @include(if: $kyc)
    profile @include(if: $profile) {
      firstName
      lastName
      dateOfBirth
      address
      postcode
      city
      country
      confirmed
    }
    labels @include(if: $labels) {
      key
      value
      scope
      description
      updatedAt
    }
    phones @include(if: $phones) {
      id
      number
      verified
      verifiedAt
      createdAt
    }
    documents @include(if: $documents) {
      id
      type
      number
      expiresOn
      createdAt
      front {
        id
        contentType
        url
      }
      back {
        id
        contentType
        url
      }
    }
    selfie @include(if: $selfie) {
      id
      createdAt
      image {
        id
        contentType
        url
      }
    }
    devices @include(if: $devices) {
      id
      deviceId
      name
      trusted
      createdAt
      lastSeenAt
    }
    accounts @include(if: $accounts) {
      id
      email
      subAccountId
      active
      createdAt
      portfolios {
        id
        name
        type
        address
        publicStrategy
        createdAt
      }
    }
  }
}
    `),"\n  query UserSessions($id: ID!) {\n    user(id: $id) { id sessions { id createdAt lastUsedAt expiresAt mfa device { name deviceId } } }\n  }\n":new B(`
    query UserSessions($id: ID!) {
  user(id: $id) {
    id
    sessions {
      id
      createdAt
      lastUsedAt
      expiresAt
      mfa
      device {
        name
        deviceId
      }
    }
  }
}
    `),"\n  query UserActivity($id: ID!) {\n    user(id: $id) { id recentActivity(first: 20) { id topic action result reason ip createdAt } }\n  }\n":new B(`
    query UserActivity($id: ID!) {
  user(id: $id) {
    id
    recentActivity(first: 20) {
      id
      topic
      action
      result
      reason
      ip
      createdAt
    }
  }
}
    `),"\n  mutation SetUserState($input: SetUserStateInput!) { setUserState(input: $input) { id state } }\n":new B(`
    mutation SetUserState($input: SetUserStateInput!) {
  setUserState(input: $input) {
    id
    state
  }
}
    `),"\n  mutation SetUserRole($input: SetUserRoleInput!) { setUserRole(input: $input) { id role } }\n":new B(`
    mutation SetUserRole($input: SetUserRoleInput!) {
  setUserRole(input: $input) {
    id
    role
  }
}
    `),"\n  mutation SetUserLabel($input: SetUserLabelInput!) { setUserLabel(input: $input) { key value scope } }\n":new B(`
    mutation SetUserLabel($input: SetUserLabelInput!) {
  setUserLabel(input: $input) {
    key
    value
    scope
  }
}
    `),"\n  mutation RemoveUserLabel($input: RemoveUserLabelInput!) { removeUserLabel(input: $input) }\n":new B(`
    mutation RemoveUserLabel($input: RemoveUserLabelInput!) {
  removeUserLabel(input: $input)
}
    `),"\n  mutation ResetUserMfa($input: ResetUserMfaInput!) { resetUserMfa(input: $input) { id totpEnabled } }\n":new B(`
    mutation ResetUserMfa($input: ResetUserMfaInput!) {
  resetUserMfa(input: $input) {
    id
    totpEnabled
  }
}
    `),"\n  mutation RevokeUserSessions($input: RevokeUserSessionsInput!) { revokeUserSessions(input: $input) { revoked } }\n":new B(`
    mutation RevokeUserSessions($input: RevokeUserSessionsInput!) {
  revokeUserSessions(input: $input) {
    revoked
  }
}
    `),"\n  query KycQueue($filter: KycSubmissionFilter, $first: Int, $after: String) {\n    kycSubmissions(filter: $filter, first: $first, after: $after) {\n      pageInfo { hasNextPage endCursor }\n      edges {\n        node {\n          id status country submittedAt decidedAt reason\n          user { id name email phone }\n          profile { firstName lastName dateOfBirth country }\n          document { id type number expiresOn front { id contentType url } back { id contentType url } }\n          selfie { id image { id contentType url } }\n        }\n      }\n    }\n  }\n":new B(`
    query KycQueue($filter: KycSubmissionFilter, $first: Int, $after: String) {
  kycSubmissions(filter: $filter, first: $first, after: $after) {
    pageInfo {
      hasNextPage
      endCursor
    }
    edges {
      node {
        id
        status
        country
        submittedAt
        decidedAt
        reason
        user {
          id
          name
          email
          phone
        }
        profile {
          firstName
          lastName
          dateOfBirth
          country
        }
        document {
          id
          type
          number
          expiresOn
          front {
            id
            contentType
            url
          }
          back {
            id
            contentType
            url
          }
        }
        selfie {
          id
          image {
            id
            contentType
            url
          }
        }
      }
    }
  }
}
    `),"\n  mutation ApproveKyc($input: DecideKycSubmissionInput!) { approveKycSubmission(input: $input) { id status } }\n":new B(`
    mutation ApproveKyc($input: DecideKycSubmissionInput!) {
  approveKycSubmission(input: $input) {
    id
    status
  }
}
    `),"\n  mutation RejectKyc($input: RejectKycSubmissionInput!) { rejectKycSubmission(input: $input) { id status reason } }\n":new B(`
    mutation RejectKyc($input: RejectKycSubmissionInput!) {
  rejectKycSubmission(input: $input) {
    id
    status
    reason
  }
}
    `),"\n  query PinResets($status: PinResetStatus, $first: Int, $after: String) {\n    pinResets(status: $status, first: $first, after: $after) {\n      pageInfo { hasNextPage endCursor }\n      edges {\n        node {\n          id status reason createdAt decidedAt documentUploaded\n          user { id name phone }\n          document { id type number front { id contentType url } }\n          selfie { id contentType url }\n        }\n      }\n    }\n  }\n":new B(`
    query PinResets($status: PinResetStatus, $first: Int, $after: String) {
  pinResets(status: $status, first: $first, after: $after) {
    pageInfo {
      hasNextPage
      endCursor
    }
    edges {
      node {
        id
        status
        reason
        createdAt
        decidedAt
        documentUploaded
        user {
          id
          name
          phone
        }
        document {
          id
          type
          number
          front {
            id
            contentType
            url
          }
        }
        selfie {
          id
          contentType
          url
        }
      }
    }
  }
}
    `),"\n  mutation ApprovePinReset($input: DecidePinResetInput!) { approvePinReset(input: $input) { id status } }\n":new B(`
    mutation ApprovePinReset($input: DecidePinResetInput!) {
  approvePinReset(input: $input) {
    id
    status
  }
}
    `),"\n  mutation RejectPinReset($input: RejectPinResetInput!) { rejectPinReset(input: $input) { id status } }\n":new B(`
    mutation RejectPinReset($input: RejectPinResetInput!) {
  rejectPinReset(input: $input) {
    id
    status
  }
}
    `),"\n  query PermissionRows { permissions { id role operation action updatedAt } }\n":new B(`
    query PermissionRows {
  permissions {
    id
    role
    operation
    action
    updatedAt
  }
}
    `),"\n  mutation CreatePermission($input: CreatePermissionInput!) { createPermission(input: $input) { id } }\n":new B(`
    mutation CreatePermission($input: CreatePermissionInput!) {
  createPermission(input: $input) {
    id
  }
}
    `),"\n  mutation UpdatePermission($input: UpdatePermissionInput!) { updatePermission(input: $input) { id action } }\n":new B(`
    mutation UpdatePermission($input: UpdatePermissionInput!) {
  updatePermission(input: $input) {
    id
    action
  }
}
    `),"\n  mutation DeletePermission($input: DeletePermissionInput!) { deletePermission(input: $input) }\n":new B(`
    mutation DeletePermission($input: DeletePermissionInput!) {
  deletePermission(input: $input)
}
    `),"\n  query AdminActivities($filter: AdminActivityFilter, $first: Int, $after: String) {\n    adminActivities(filter: $filter, first: $first, after: $after) {\n      pageInfo { hasNextPage endCursor }\n      edges {\n        node { id action reason result error ip createdAt admin { id name email phone } targetUser { id name email phone } }\n      }\n    }\n  }\n":new B(`
    query AdminActivities($filter: AdminActivityFilter, $first: Int, $after: String) {
  adminActivities(filter: $filter, first: $first, after: $after) {
    pageInfo {
      hasNextPage
      endCursor
    }
    edges {
      node {
        id
        action
        reason
        result
        error
        ip
        createdAt
        admin {
          id
          name
          email
          phone
        }
        targetUser {
          id
          name
          email
          phone
        }
      }
    }
  }
}
    `),"\n  query Metrics($from: Time!, $to: Time!, $interval: MetricInterval) {\n    adminMetrics(from: $from, to: $to, interval: $interval) {\n      from to interval\n      totals { signUps signInsSucceeded signInsFailed otpsSent kycPending kycApproved kycRejected activeUsers }\n      series { start signUps signInsSucceeded signInsFailed otpsSent kycPending kycApproved kycRejected activeUsers }\n    }\n  }\n":new B(`
    query Metrics($from: Time!, $to: Time!, $interval: MetricInterval) {
  adminMetrics(from: $from, to: $to, interval: $interval) {
    from
    to
    interval
    totals {
      signUps
      signInsSucceeded
      signInsFailed
      otpsSent
      kycPending
      kycApproved
      kycRejected
      activeUsers
    }
    series {
      start
      signUps
      signInsSucceeded
      signInsFailed
      otpsSent
      kycPending
      kycApproved
      kycRejected
      activeUsers
    }
  }
}
    `),"\n  query OperatorSettings {\n    operatorSettings {\n      maintenance { enabled message }\n      appVersions { platform minimumVersion currentVersion storeUrl storeAppId }\n      featureFlags { key enabled description }\n      rules { idleTimeSeconds otpLifetimeSeconds serverOtpLifetimeSeconds }\n      appContents\n      pushChannels\n      updatedAt\n    }\n    termsKinds { kind askUsers current { version title url publishedAt } }\n  }\n":new B(`
    query OperatorSettings {
  operatorSettings {
    maintenance {
      enabled
      message
    }
    appVersions {
      platform
      minimumVersion
      currentVersion
      storeUrl
      storeAppId
    }
    featureFlags {
      key
      enabled
      description
    }
    rules {
      idleTimeSeconds
      otpLifetimeSeconds
      serverOtpLifetimeSeconds
    }
    appContents
    pushChannels
    updatedAt
  }
  termsKinds {
    kind
    askUsers
    current {
      version
      title
      url
      publishedAt
    }
  }
}
    `),"\n  mutation SetMaintenance($input: SetMaintenanceInput!) { setMaintenance(input: $input) { maintenance { enabled } } }\n":new B(`
    mutation SetMaintenance($input: SetMaintenanceInput!) {
  setMaintenance(input: $input) {
    maintenance {
      enabled
    }
  }
}
    `),"\n  mutation SetAppVersion($input: SetAppVersionInput!) { setAppVersion(input: $input) { appVersion { platform } } }\n":new B(`
    mutation SetAppVersion($input: SetAppVersionInput!) {
  setAppVersion(input: $input) {
    appVersion {
      platform
    }
  }
}
    `),"\n  mutation SetFeatureFlag($input: SetFeatureFlagInput!) { setFeatureFlag(input: $input) { featureFlag { key enabled } } }\n":new B(`
    mutation SetFeatureFlag($input: SetFeatureFlagInput!) {
  setFeatureFlag(input: $input) {
    featureFlag {
      key
      enabled
    }
  }
}
    `),"\n  mutation RemoveFeatureFlag($input: RemoveFeatureFlagInput!) { removeFeatureFlag(input: $input) { removed } }\n":new B(`
    mutation RemoveFeatureFlag($input: RemoveFeatureFlagInput!) {
  removeFeatureFlag(input: $input) {
    removed
  }
}
    `),"\n  mutation SetClientRules($input: SetClientRulesInput!) { setClientRules(input: $input) { rules { idleTimeSeconds } } }\n":new B(`
    mutation SetClientRules($input: SetClientRulesInput!) {
  setClientRules(input: $input) {
    rules {
      idleTimeSeconds
    }
  }
}
    `),"\n  mutation SetAppContents($input: SetAppContentsInput!) { setAppContents(input: $input) { appContents } }\n":new B(`
    mutation SetAppContents($input: SetAppContentsInput!) {
  setAppContents(input: $input) {
    appContents
  }
}
    `),"\n  mutation SetPushChannels($input: SetPushChannelsInput!) { setPushChannels(input: $input) { pushChannels } }\n":new B(`
    mutation SetPushChannels($input: SetPushChannelsInput!) {
  setPushChannels(input: $input) {
    pushChannels
  }
}
    `),"\n  mutation PublishTerms($input: PublishTermsInput!) { publishTerms(input: $input) { document { kind version } } }\n":new B(`
    mutation PublishTerms($input: PublishTermsInput!) {
  publishTerms(input: $input) {
    document {
      kind
      version
    }
  }
}
    `),"\n  query LevelRules {\n    levels { level rules { key value description } }\n    levelJobs(first: 10) { id state action minLevel done total changed createdAt finishedAt }\n  }\n":new B(`
    query LevelRules {
  levels {
    level
    rules {
      key
      value
      description
    }
  }
  levelJobs(first: 10) {
    id
    state
    action
    minLevel
    done
    total
    changed
    createdAt
    finishedAt
  }
}
    `),"\n  mutation AddLevelRule($input: AddLevelRuleInput!) { addLevelRule(input: $input) { level job { id } } }\n":new B(`
    mutation AddLevelRule($input: AddLevelRuleInput!) {
  addLevelRule(input: $input) {
    level
    job {
      id
    }
  }
}
    `),"\n  mutation RemoveLevelRule($input: RemoveLevelRuleInput!) { removeLevelRule(input: $input) { removed } }\n":new B(`
    mutation RemoveLevelRule($input: RemoveLevelRuleInput!) {
  removeLevelRule(input: $input) {
    removed
  }
}
    `)};function V(e){return Pe[e]??{}}var Fe=V(`
  mutation SignIn($input: SignInInput!) {
    signIn(input: $input) {
      status
      challenge { id channel destination }
      auth { accessToken refreshToken accessTokenExpiresAt user { id name email phone role } }
    }
  }
`),Ie=V(`
  mutation SignInWithPin($input: SignInWithPinInput!) {
    signInWithPin(input: $input) {
      status
      challenge { id channel destination }
      auth { accessToken refreshToken accessTokenExpiresAt user { id name email phone role } }
    }
  }
`),Le=V(`
  mutation VerifySignIn($input: VerifySignInInput!) {
    verifySignIn(input: $input) { accessToken refreshToken accessTokenExpiresAt user { id name email phone role } }
  }
`),Re=V(`
  mutation VerifyDeviceSignIn($input: VerifyDeviceSignInInput!) {
    verifyDeviceSignIn(input: $input) { accessToken refreshToken accessTokenExpiresAt user { id name email phone role } }
  }
`),ze=V(`
  mutation Refresh($input: RefreshSessionInput!) {
    refreshSession(input: $input) { accessToken refreshToken accessTokenExpiresAt user { id name email phone role } }
  }
`),Be=V(`
  mutation SignOut { signOut }
`),Ve=V(`
  query Whoami { me { id name email phone role } myPermissions }
`),He=V(`
  query Users($filter: UserFilter, $orderBy: UserOrder, $first: Int, $after: String, $kyc: Boolean!) {
    users(filter: $filter, orderBy: $orderBy, first: $first, after: $after) {
      totalCount
      totalCountExact
      pageInfo { hasNextPage endCursor }
      edges { cursor node { id name email phone role state level countryCode createdAt lastSignInAt kycStatus @include(if: $kyc) } }
    }
  }
`),Ue=V(`
  query UserDetail(
    $id: ID!
    $profile: Boolean!
    $kyc: Boolean!
    $labels: Boolean!
    $phones: Boolean!
    $documents: Boolean!
    $selfie: Boolean!
    $devices: Boolean!
    $accounts: Boolean!
  ) {
    user(id: $id) {
      id name email phone pendingPhone role state level countryCode hasPin hasPassword totpEnabled
      referralCode createdAt lastSignInAt
      kycStatus @include(if: $kyc)
      kycRejectionReason @include(if: $kyc)
      profile @include(if: $profile) { firstName lastName dateOfBirth address postcode city country confirmed }
      labels @include(if: $labels) { key value scope description updatedAt }
      phones @include(if: $phones) { id number verified verifiedAt createdAt }
      documents @include(if: $documents) {
        id type number expiresOn createdAt
        front { id contentType url }
        back { id contentType url }
      }
      selfie @include(if: $selfie) { id createdAt image { id contentType url } }
      devices @include(if: $devices) { id deviceId name trusted createdAt lastSeenAt }
      accounts @include(if: $accounts) {
        id email subAccountId active createdAt
        portfolios { id name type address publicStrategy createdAt }
      }
    }
  }
`),We=V(`
  query UserSessions($id: ID!) {
    user(id: $id) { id sessions { id createdAt lastUsedAt expiresAt mfa device { name deviceId } } }
  }
`),Ge=V(`
  query UserActivity($id: ID!) {
    user(id: $id) { id recentActivity(first: 20) { id topic action result reason ip createdAt } }
  }
`),Ke=V(`
  mutation SetUserState($input: SetUserStateInput!) { setUserState(input: $input) { id state } }
`),qe=V(`
  mutation SetUserRole($input: SetUserRoleInput!) { setUserRole(input: $input) { id role } }
`),Je=V(`
  mutation SetUserLabel($input: SetUserLabelInput!) { setUserLabel(input: $input) { key value scope } }
`),Ye=V(`
  mutation RemoveUserLabel($input: RemoveUserLabelInput!) { removeUserLabel(input: $input) }
`),Xe=V(`
  mutation ResetUserMfa($input: ResetUserMfaInput!) { resetUserMfa(input: $input) { id totpEnabled } }
`),Ze=V(`
  mutation RevokeUserSessions($input: RevokeUserSessionsInput!) { revokeUserSessions(input: $input) { revoked } }
`),Qe=V(`
  query KycQueue($filter: KycSubmissionFilter, $first: Int, $after: String) {
    kycSubmissions(filter: $filter, first: $first, after: $after) {
      pageInfo { hasNextPage endCursor }
      edges {
        node {
          id status country submittedAt decidedAt reason
          user { id name email phone }
          profile { firstName lastName dateOfBirth country }
          document { id type number expiresOn front { id contentType url } back { id contentType url } }
          selfie { id image { id contentType url } }
        }
      }
    }
  }
`),$e=V(`
  mutation ApproveKyc($input: DecideKycSubmissionInput!) { approveKycSubmission(input: $input) { id status } }
`),et=V(`
  mutation RejectKyc($input: RejectKycSubmissionInput!) { rejectKycSubmission(input: $input) { id status reason } }
`),tt=V(`
  query PinResets($status: PinResetStatus, $first: Int, $after: String) {
    pinResets(status: $status, first: $first, after: $after) {
      pageInfo { hasNextPage endCursor }
      edges {
        node {
          id status reason createdAt decidedAt documentUploaded
          user { id name phone }
          document { id type number front { id contentType url } }
          selfie { id contentType url }
        }
      }
    }
  }
`),nt=V(`
  mutation ApprovePinReset($input: DecidePinResetInput!) { approvePinReset(input: $input) { id status } }
`),rt=V(`
  mutation RejectPinReset($input: RejectPinResetInput!) { rejectPinReset(input: $input) { id status } }
`),it=V(`
  query PermissionRows { permissions { id role operation action updatedAt } }
`),at=V(`
  mutation CreatePermission($input: CreatePermissionInput!) { createPermission(input: $input) { id } }
`),ot=V(`
  mutation UpdatePermission($input: UpdatePermissionInput!) { updatePermission(input: $input) { id action } }
`),st=V(`
  mutation DeletePermission($input: DeletePermissionInput!) { deletePermission(input: $input) }
`),ct=V(`
  query AdminActivities($filter: AdminActivityFilter, $first: Int, $after: String) {
    adminActivities(filter: $filter, first: $first, after: $after) {
      pageInfo { hasNextPage endCursor }
      edges {
        node { id action reason result error ip createdAt admin { id name email phone } targetUser { id name email phone } }
      }
    }
  }
`),lt=V(`
  query Metrics($from: Time!, $to: Time!, $interval: MetricInterval) {
    adminMetrics(from: $from, to: $to, interval: $interval) {
      from to interval
      totals { signUps signInsSucceeded signInsFailed otpsSent kycPending kycApproved kycRejected activeUsers }
      series { start signUps signInsSucceeded signInsFailed otpsSent kycPending kycApproved kycRejected activeUsers }
    }
  }
`),ut=V(`
  query OperatorSettings {
    operatorSettings {
      maintenance { enabled message }
      appVersions { platform minimumVersion currentVersion storeUrl storeAppId }
      featureFlags { key enabled description }
      rules { idleTimeSeconds otpLifetimeSeconds serverOtpLifetimeSeconds }
      appContents
      pushChannels
      updatedAt
    }
    termsKinds { kind askUsers current { version title url publishedAt } }
  }
`),dt=V(`
  mutation SetMaintenance($input: SetMaintenanceInput!) { setMaintenance(input: $input) { maintenance { enabled } } }
`),ft=V(`
  mutation SetAppVersion($input: SetAppVersionInput!) { setAppVersion(input: $input) { appVersion { platform } } }
`),pt=V(`
  mutation SetFeatureFlag($input: SetFeatureFlagInput!) { setFeatureFlag(input: $input) { featureFlag { key enabled } } }
`),mt=V(`
  mutation RemoveFeatureFlag($input: RemoveFeatureFlagInput!) { removeFeatureFlag(input: $input) { removed } }
`),ht=V(`
  mutation SetClientRules($input: SetClientRulesInput!) { setClientRules(input: $input) { rules { idleTimeSeconds } } }
`),gt=V(`
  mutation SetAppContents($input: SetAppContentsInput!) { setAppContents(input: $input) { appContents } }
`),_t=V(`
  mutation SetPushChannels($input: SetPushChannelsInput!) { setPushChannels(input: $input) { pushChannels } }
`),vt=V(`
  mutation PublishTerms($input: PublishTermsInput!) { publishTerms(input: $input) { document { kind version } } }
`),yt=V(`
  query LevelRules {
    levels { level rules { key value description } }
    levelJobs(first: 10) { id state action minLevel done total changed createdAt finishedAt }
  }
`),bt=V(`
  mutation AddLevelRule($input: AddLevelRuleInput!) { addLevelRule(input: $input) { level job { id } } }
`),xt=V(`
  mutation RemoveLevelRule($input: RemoveLevelRuleInput!) { removeLevelRule(input: $input) { removed } }
`),St=`gatehouse.console.refresh`,Ct=`gatehouse.console.device`,H=class extends Error{code;fields;reason;constructor(e,t,n={},r=``){super(t),this.code=e,this.fields=n,this.reason=r}get text(){return Ne(this.code,this.message,this.fields)}},U=null,wt=null,Tt=()=>{};function Et(){let e=localStorage.getItem(Ct);return e||(e=`console-`+crypto.randomUUID(),localStorage.setItem(Ct,e)),e}function Dt(e){Tt=e}function Ot(e){U={token:e.accessToken},sessionStorage.setItem(St,e.refreshToken)}function kt(){U=null,sessionStorage.removeItem(St)}function At(){return U!==null||sessionStorage.getItem(St)!==null}async function jt(e,t,n){let r={"Content-Type":`application/json`};n&&(r.Authorization=`Bearer `+n);let i;try{i=await fetch(`/graphql`,{method:`POST`,headers:r,body:JSON.stringify({query:e,variables:t})})}catch{throw new H(`NETWORK`,`Gatehouse did not answer.`)}let a;try{a=await i.json()}catch{throw new H(`INTERNAL`,`Unexpected answer (HTTP ${i.status}).`)}if(a.errors&&a.errors.length>0){let e=a.errors[0],t=e.extensions??{};throw new H(String(t.code??`INTERNAL`),e.message,t.fields??{},String(t.reason??``))}return a.data}function Mt(){return wt||=(async()=>{let e=sessionStorage.getItem(St);if(!e)return!1;try{return Ot((await jt(ze.toString(),{input:{refreshToken:e}},null)).refreshSession),!0}catch(e){return e instanceof H&&e.code!==`NETWORK`&&e.code!==`UNAVAILABLE`&&kt(),!1}finally{wt=null}})(),wt}async function W(e,t){!U&&At()&&await Mt();try{return await jt(e.toString(),t??{},U?.token??null)}catch(n){if(n instanceof H&&n.code===`UNAUTHENTICATED`&&At()){if(U=null,await Mt())return await jt(e.toString(),t??{},U.token);kt(),Tt()}throw n}}async function Nt(){return sessionStorage.getItem(St)?Mt():!1}var Pt=`/console`;function Ft(e){history.pushState(null,``,Pt+e),dispatchEvent(new PopStateEvent(`popstate`))}function It(){let e=()=>({path:location.pathname.slice(8).replace(/\/+$/,``)||`/`,params:new URLSearchParams(location.search)}),[t,n]=R(e);return z(()=>{let t=()=>n(e());return addEventListener(`popstate`,t),()=>removeEventListener(`popstate`,t)},[]),t}function Lt(e){return{href:Pt+e,onClick:t=>{t.ctrlKey||t.metaKey||t.shiftKey||t.button!==0||(t.preventDefault(),Ft(e))}}}var Rt=Symbol.for(`pv`),zt=0;Array.isArray;function G(t,n,r,i,a,o){n||={};var s,c,l=n;if(`ref`in l&&typeof t!=`function`)for(c in l={},n)c==`ref`?s=n[c]:l[c]=n[c];var u={type:t,props:l,key:r,ref:s,__k:null,__:null,__b:0,__e:null,__c:null,constructor:Rt,__v:--zt,__i:-1,__u:0};return(a||o)&&(u.__source=a,u.__self=o),e.vnode&&e.vnode(u),u}var Bt=0;function Vt(e){let[t]=R(()=>`${e}-${++Bt}`);return t}function Ht(e){return e instanceof H?e.text:e instanceof Error?e.message:String(e)}function K({error:e}){return e?G(`p`,{class:`problem`,role:`alert`,"data-code":e instanceof H?e.code:`ERROR`,children:Ht(e)}):null}function q(e){let t=Vt(`f`);return G(`div`,{class:`field`,children:[G(`label`,{for:t,children:e.label}),G(`input`,{id:t,name:e.name,type:e.type??`text`,value:e.value,required:e.required,autoComplete:e.autoComplete,placeholder:e.placeholder,inputMode:e.inputMode,onInput:t=>e.onValue(t.currentTarget.value)})]})}function Ut(e){let t=Vt(`t`);return G(`div`,{class:`field wide`,children:[G(`label`,{for:t,children:e.label}),G(`textarea`,{id:t,rows:e.rows??6,value:e.value,required:e.required,onInput:t=>e.onValue(t.currentTarget.value)})]})}function Wt(e){let t=Vt(`c`);return G(`div`,{class:`check`,children:[G(`input`,{id:t,type:`checkbox`,checked:e.checked,onChange:t=>e.onChecked(t.currentTarget.checked)}),G(`label`,{for:t,children:e.label})]})}function J(e){let t=Vt(`s`);return G(`div`,{class:`field`,children:[G(`label`,{for:t,children:e.label}),G(`select`,{id:t,value:e.value,onChange:t=>e.onValue(t.currentTarget.value),children:[e.blank!==void 0&&G(`option`,{value:``,children:e.blank}),e.options.map(e=>G(`option`,{value:e,children:e},e))]})]})}function Y(e){let[t,n]=R(!1),[r,i]=R(``),[a,o]=R(!1),[s,c]=R(null),[l,u]=R(!1);return t?G(`form`,{class:`reason`,onSubmit:async t=>{t.preventDefault(),o(!0),c(null);try{await e.run(r),n(!1),i(``),u(!0)}catch(e){c(e)}finally{o(!1)}},children:[e.children,G(q,{label:`Reason for "${e.label}"`,value:r,onValue:i,required:!0}),G(`button`,{type:`submit`,disabled:a,class:e.danger?`danger`:``,children:e.label}),G(`button`,{type:`button`,onClick:()=>n(!1),children:`Cancel`}),G(K,{error:s}),l&&G(`span`,{class:`ok`,children:`Done.`})]}):G(`button`,{type:`button`,class:e.danger?`danger`:``,disabled:e.disabled,title:e.title,onClick:()=>{n(!0),u(!1)},children:e.label})}function X(e){return e?e.replace(`T`,` `).replace(/(:\d\d)(\.\d+)?Z$/,`$1 UTC`):`—`}function Z(){return G(`p`,{"aria-live":`polite`,children:`Loading…`})}function Gt(e){return e?G(`a`,{...Lt(`/users/`+e.id),children:e.name||e.email||e.phone||e.id}):`—`}function Kt(){let[e,t]=R({action:``,adminId:``,targetUserId:``,from:``,to:``}),[n,r]=R({}),[i,a]=R([null]),[o,s]=R(null),[c,l]=R(null),u=i.length-1,d=n=>r=>t({...e,[n]:r});return z(()=>{l(null),W(ct,{filter:n,first:50,after:i[u]}).then(e=>s(e.adminActivities)).catch(e=>{l(e),s(null)})},[n,i]),G(`section`,{children:[G(`h1`,{children:`Admin activities`}),G(`form`,{class:`filters`,onSubmit:t=>{t.preventDefault();let n={};e.action.trim()&&(n.action=e.action.trim()),e.adminId.trim()&&(n.adminId=e.adminId.trim()),e.targetUserId.trim()&&(n.targetUserId=e.targetUserId.trim()),e.from&&(n.from=new Date(e.from+`T00:00:00Z`).toISOString()),e.to&&(n.to=new Date(e.to+`T00:00:00Z`).toISOString()),r(n),a([null])},"aria-label":`Filter admin activities`,children:[G(q,{label:`Operation (e.g. setUserState)`,value:e.action,onValue:d(`action`)}),G(q,{label:`Staff member id`,value:e.adminId,onValue:d(`adminId`)}),G(q,{label:`Target user id`,value:e.targetUserId,onValue:d(`targetUserId`)}),G(q,{label:`From`,type:`date`,value:e.from,onValue:d(`from`)}),G(q,{label:`Before`,type:`date`,value:e.to,onValue:d(`to`)}),G(`div`,{class:`actions`,children:G(`button`,{type:`submit`,children:`Filter`})})]}),G(K,{error:c}),!o&&!c&&G(Z,{}),o&&G(b,{children:[G(`table`,{children:[G(`thead`,{children:G(`tr`,{children:[G(`th`,{scope:`col`,children:`When`}),G(`th`,{scope:`col`,children:`Staff`}),G(`th`,{scope:`col`,children:`Operation`}),G(`th`,{scope:`col`,children:`User`}),G(`th`,{scope:`col`,children:`Reason`}),G(`th`,{scope:`col`,children:`Result`}),G(`th`,{scope:`col`,children:`IP`})]})}),G(`tbody`,{children:o.edges.map(({node:e})=>G(`tr`,{children:[G(`td`,{children:X(e.createdAt)}),G(`td`,{children:Gt(e.admin)}),G(`td`,{children:G(`code`,{children:e.action})}),G(`td`,{children:Gt(e.targetUser)}),G(`td`,{children:e.reason}),G(`td`,{children:[e.result,e.error?` (${e.error})`:``]}),G(`td`,{children:e.ip})]},e.id))})]}),G(`nav`,{class:`pager`,"aria-label":`Pages`,children:[G(`button`,{type:`button`,disabled:u===0,onClick:()=>a(i.slice(0,-1)),children:`Previous page`}),G(`button`,{type:`button`,disabled:!o.pageInfo.hasNextPage,onClick:()=>a([...i,o.pageInfo.endCursor??null]),children:`Next page`})]})]})]})}var qt=F(new Set);function Q(){let e=Ce(qt);return t=>e.has(t)}var Jt=`Your role may not do this`;function $({file:e,alt:t}){let[n,r]=R(!1);return e?e.url?n?G(`p`,{class:`problem`,role:`alert`,children:[t,`: the file could not be loaded (missing from storage, or its link expired: reload the page).`]}):e.contentType===`application/pdf`?G(`a`,{href:e.url,target:`_blank`,rel:`noopener`,children:[t,` (PDF)`]}):G(`a`,{href:e.url,target:`_blank`,rel:`noopener`,class:`kycfile`,children:G(`img`,{src:e.url,alt:t,onError:()=>r(!0)})}):G(`p`,{class:`muted`,children:[t,`: your role may not open KYC files.`]}):G(`p`,{class:`muted`,children:[`No `,t.toLowerCase(),`.`]})}function Yt({id:e}){let t=Q(),[n,r]=R(null),[i,a]=R(null),[o,s]=R(null),[c,l]=R(null),[u,d]=R(null),[f,p]=R(0),m=()=>p(f+1);if(z(()=>{a(null),W(Ue,{id:e,profile:t(`User.profile`),kyc:t(`User.kycStatus`),labels:t(`User.labels`),phones:t(`User.phones`),documents:t(`User.documents`),selfie:t(`User.selfie`),devices:t(`User.devices`),accounts:t(`User.accounts`)}).then(e=>e.user?r(e.user):a(Error(`No user has this id.`))).catch(a),t(`User.sessions`)&&W(We,{id:e}).then(e=>s(e.user)).catch(d),t(`User.recentActivity`)&&W(Ge,{id:e}).then(e=>l(e.user)).catch(d)},[e,f]),i)return G(K,{error:i});if(!n)return G(Z,{});let h=n;return G(`section`,{class:`detail`,children:[G(`h1`,{children:h.name||(h.profile?`${h.profile.firstName} ${h.profile.lastName}`:h.email||h.phone||`(no name)`)}),G(`dl`,{class:`facts`,children:[G(`dt`,{children:`Id`}),G(`dd`,{children:h.id}),G(`dt`,{children:`Email`}),G(`dd`,{children:h.email??`—`}),G(`dt`,{children:`Phone`}),G(`dd`,{children:[h.phone??`—`,h.pendingPhone?` (unproven: ${h.pendingPhone})`:``]}),G(`dt`,{children:`Role`}),G(`dd`,{children:h.role}),G(`dt`,{children:`State`}),G(`dd`,{children:h.state}),G(`dt`,{children:`Level`}),G(`dd`,{children:h.level}),G(`dt`,{children:`Country`}),G(`dd`,{children:h.countryCode||`—`}),G(`dt`,{children:`Sign-in`}),G(`dd`,{children:[h.hasPin&&`PIN`,h.hasPassword&&`password`,h.totpEnabled&&`authenticator app`].filter(Boolean).join(`, `)||`—`}),G(`dt`,{children:`Created`}),G(`dd`,{children:X(h.createdAt)}),G(`dt`,{children:`Last sign-in`}),G(`dd`,{children:X(h.lastSignInAt)}),h.kycStatus&&G(b,{children:[G(`dt`,{children:`KYC`}),G(`dd`,{children:[h.kycStatus,h.kycRejectionReason?` — ${h.kycRejectionReason}`:``]})]})]}),G(K,{error:u}),G(Xt,{u:h,reload:m}),h.profile!==void 0&&G(b,{children:[G(`h2`,{children:`Profile`}),h.profile?G(`dl`,{class:`facts`,children:[G(`dt`,{children:`Name`}),G(`dd`,{children:[h.profile.firstName,` `,h.profile.lastName]}),G(`dt`,{children:`Born`}),G(`dd`,{children:h.profile.dateOfBirth}),G(`dt`,{children:`Address`}),G(`dd`,{children:[h.profile.address,`, `,h.profile.postcode,` `,h.profile.city,`, `,h.profile.country]}),G(`dt`,{children:`Confirmed`}),G(`dd`,{children:h.profile.confirmed?`yes`:`no`})]}):G(`p`,{class:`muted`,children:`No profile.`})]}),(h.documents!==void 0||h.selfie!==void 0)&&G(b,{children:[G(`h2`,{children:`KYC files`}),G(`div`,{class:`files`,children:[(h.documents??[]).map(e=>G(`figure`,{children:[G(`figcaption`,{children:[e.type,` `,e.number,` (expires `,e.expiresOn,`)`]}),G($,{file:e.front,alt:`${e.type} front`}),e.back&&G($,{file:e.back,alt:`${e.type} back`})]},e.id)),h.selfie!==void 0&&G(`figure`,{children:[G(`figcaption`,{children:`Selfie`}),G($,{file:h.selfie?.image,alt:`Selfie`})]})]})]}),h.labels!==void 0&&G(Zt,{u:h,reload:m}),h.phones!==void 0&&G(b,{children:[G(`h2`,{children:`Phones`}),G(`table`,{children:[G(`thead`,{children:G(`tr`,{children:[G(`th`,{scope:`col`,children:`Number`}),G(`th`,{scope:`col`,children:`Verified`}),G(`th`,{scope:`col`,children:`Added`})]})}),G(`tbody`,{children:h.phones.map(e=>G(`tr`,{children:[G(`td`,{children:e.number}),G(`td`,{children:e.verified?X(e.verifiedAt):`no`}),G(`td`,{children:X(e.createdAt)})]},e.id))})]})]}),h.devices!==void 0&&G(b,{children:[G(`h2`,{children:`Devices`}),G(`table`,{children:[G(`thead`,{children:G(`tr`,{children:[G(`th`,{scope:`col`,children:`Name`}),G(`th`,{scope:`col`,children:`Device id`}),G(`th`,{scope:`col`,children:`Trusted`}),G(`th`,{scope:`col`,children:`First seen`}),G(`th`,{scope:`col`,children:`Last seen`})]})}),G(`tbody`,{children:h.devices.map(e=>G(`tr`,{children:[G(`td`,{children:e.name}),G(`td`,{children:e.deviceId}),G(`td`,{children:e.trusted?`yes`:`no`}),G(`td`,{children:X(e.createdAt)}),G(`td`,{children:X(e.lastSeenAt)})]},e.id))})]})]}),o&&G(b,{children:[G(`h2`,{children:`Sessions`}),G(`table`,{children:[G(`thead`,{children:G(`tr`,{children:[G(`th`,{scope:`col`,children:`Device`}),G(`th`,{scope:`col`,children:`Opened`}),G(`th`,{scope:`col`,children:`Last used`}),G(`th`,{scope:`col`,children:`Ends`}),G(`th`,{scope:`col`,children:`Second factor`})]})}),G(`tbody`,{children:o.sessions.map(e=>G(`tr`,{children:[G(`td`,{children:e.device.name}),G(`td`,{children:X(e.createdAt)}),G(`td`,{children:X(e.lastUsedAt)}),G(`td`,{children:X(e.expiresAt)}),G(`td`,{children:e.mfa?`yes`:`no`})]},e.id))})]})]}),c&&G(b,{children:[G(`h2`,{children:`Activity`}),G(`table`,{children:[G(`thead`,{children:G(`tr`,{children:[G(`th`,{scope:`col`,children:`When`}),G(`th`,{scope:`col`,children:`Topic`}),G(`th`,{scope:`col`,children:`Action`}),G(`th`,{scope:`col`,children:`Result`}),G(`th`,{scope:`col`,children:`IP`})]})}),G(`tbody`,{children:c.recentActivity.map(e=>G(`tr`,{children:[G(`td`,{children:X(e.createdAt)}),G(`td`,{children:e.topic}),G(`td`,{children:e.action}),G(`td`,{children:[e.result,e.reason?` (${e.reason})`:``]}),G(`td`,{children:e.ip})]},e.id))})]})]}),h.accounts!==void 0&&G(b,{children:[G(`h2`,{children:`Accounts and portfolios`}),h.accounts.length===0&&G(`p`,{class:`muted`,children:`No accounts.`}),h.accounts.length>0&&G(`table`,{children:[G(`thead`,{children:G(`tr`,{children:[G(`th`,{scope:`col`,children:`Account`}),G(`th`,{scope:`col`,children:`Email`}),G(`th`,{scope:`col`,children:`Sub-account`}),G(`th`,{scope:`col`,children:`Active`}),G(`th`,{scope:`col`,children:`Opened`}),G(`th`,{scope:`col`,children:`Portfolios`})]})}),G(`tbody`,{children:h.accounts.map(e=>G(`tr`,{children:[G(`td`,{children:G(`code`,{children:e.id})}),G(`td`,{children:e.email||`—`}),G(`td`,{children:e.subAccountId||`—`}),G(`td`,{children:e.active?`yes`:`no`}),G(`td`,{children:X(e.createdAt)}),G(`td`,{children:e.portfolios.length===0?`—`:G(`ul`,{children:e.portfolios.map(e=>G(`li`,{children:[e.name,` — `,e.type,e.publicStrategy?`, public strategy`:``,e.address?` (${e.address})`:``]},e.id))})})]},e.id))})]})]})]})}function Xt({u:e,reload:t}){let n=Q(),[r,i]=R(`LOCKED`),[a,o]=R(e.role),s=e=>n(e)?void 0:Jt;return G(`div`,{class:`staff-actions`,children:[G(`h2`,{children:`Staff actions`}),G(Y,{label:`Change state`,disabled:!n(`setUserState`),title:s(`setUserState`),run:async n=>{await W(Ke,{input:{userId:e.id,state:r,reason:n}}),t()},children:G(J,{label:`New state`,value:r,onValue:i,options:[`ACTIVE`,`LOCKED`,`BANNED`]})}),G(Y,{label:`Change role`,disabled:!n(`setUserRole`),title:s(`setUserRole`),run:async n=>{await W(qe,{input:{userId:e.id,role:a,reason:n}}),t()},children:G(J,{label:`New role`,value:a,onValue:e=>o(e),options:[`MEMBER`,`SUPPORT`,`COMPLIANCE`,`ACCOUNTANT`,`ADMIN`,`SUPERADMIN`,`PARTNER`]})}),G(Y,{label:`Reset second factor`,disabled:!n(`resetUserMfa`)||!e.totpEnabled,title:s(`resetUserMfa`)??(e.totpEnabled?void 0:`No authenticator app to reset`),run:async n=>{await W(Xe,{input:{userId:e.id,reason:n}}),t()}}),G(Y,{label:`End all sessions`,danger:!0,disabled:!n(`revokeUserSessions`),title:s(`revokeUserSessions`),run:async n=>{await W(Ze,{input:{userId:e.id,reason:n}}),t()}})]})}function Zt({u:e,reload:t}){let n=Q(),[r,i]=R(``),[a,o]=R(``),[s,c]=R(`PRIVATE`);return G(b,{children:[G(`h2`,{children:`Labels`}),G(`table`,{children:[G(`thead`,{children:G(`tr`,{children:[G(`th`,{scope:`col`,children:`Key`}),G(`th`,{scope:`col`,children:`Value`}),G(`th`,{scope:`col`,children:`Scope`}),G(`th`,{scope:`col`,children:`Changed`}),G(`th`,{scope:`col`})]})}),G(`tbody`,{children:e.labels.map(r=>G(`tr`,{children:[G(`td`,{children:r.key}),G(`td`,{children:r.value}),G(`td`,{children:r.scope}),G(`td`,{children:X(r.updatedAt)}),G(`td`,{children:n(`removeUserLabel`)&&G(Y,{label:`Remove ${r.key}`,run:async n=>{await W(Ye,{input:{userId:e.id,key:r.key,reason:n}}),t()}})})]},r.key))})]}),n(`setUserLabel`)&&G(Y,{label:`Set a label`,run:async n=>{await W(Je,{input:{userId:e.id,key:r,value:a,scope:s,reason:n}}),i(``),o(``),t()},children:[G(q,{label:`Label key`,value:r,onValue:i,required:!0}),G(q,{label:`Label value`,value:a,onValue:o,required:!0}),G(J,{label:`Label scope`,value:s,onValue:c,options:[`PRIVATE`,`PUBLIC`]})]})]})}function Qt(){let[e,t]=R(`PENDING`),[n,r]=R([null]),[i,a]=R(null),[o,s]=R(null),[c,l]=R(0),u=n.length-1;return z(()=>{s(null),W(Qe,{filter:{status:e},first:10,after:n[u]}).then(e=>a(e.kycSubmissions)).catch(e=>{s(e),a(null)})},[e,n,c]),G(`section`,{children:[G(`h1`,{children:`KYC review`}),G(`div`,{class:`filters`,children:G(J,{label:`Status`,value:e,onValue:e=>{t(e),r([null])},options:[`PENDING`,`APPROVED`,`REJECTED`]})}),G(K,{error:o}),!i&&!o&&G(Z,{}),i&&i.edges.length===0&&G(`p`,{children:`No submissions here.`}),i?.edges.map(({node:e})=>G($t,{s:e,done:()=>l(c+1)},e.id)),i&&G(`nav`,{class:`pager`,"aria-label":`Pages`,children:[G(`button`,{type:`button`,disabled:u===0,onClick:()=>r(n.slice(0,-1)),children:`Previous page`}),G(`button`,{type:`button`,disabled:!i.pageInfo.hasNextPage,onClick:()=>r([...n,i.pageInfo.endCursor??null]),children:`Next page`})]})]})}function $t({s:e,done:t}){let n=Q(),[r,i]=R(null),[a,o]=R(!1),s=async()=>{o(!0),i(null);try{await W($e,{input:{id:e.id}}),t()}catch(e){i(e)}finally{o(!1)}},c=e.profile?`${e.profile.firstName} ${e.profile.lastName}`:e.user.name||e.user.email||e.user.phone;return G(`article`,{class:`submission`,"aria-label":`Submission of ${c}`,children:[G(`header`,{children:[G(`h2`,{children:G(`a`,{...Lt(`/users/`+e.user.id),children:c})}),G(`p`,{children:[e.status,` · submitted `,X(e.submittedAt),` · country `,e.country,e.decidedAt?` · decided ${X(e.decidedAt)}`:``,e.reason?` · ${e.reason}`:``]}),e.profile&&G(`p`,{children:[`Born `,e.profile.dateOfBirth,` · `,e.profile.country]}),G(`p`,{children:[e.document.type,` `,e.document.number,`, expires `,e.document.expiresOn]})]}),G(`div`,{class:`side-by-side`,children:[G(`figure`,{children:[G(`figcaption`,{children:`Document (front)`}),G($,{file:e.document.front,alt:`Document front`})]}),e.document.back&&G(`figure`,{children:[G(`figcaption`,{children:`Document (back)`}),G($,{file:e.document.back,alt:`Document back`})]}),G(`figure`,{children:[G(`figcaption`,{children:`Selfie`}),G($,{file:e.selfie.image,alt:`Selfie`})]})]}),e.status===`PENDING`&&G(`div`,{class:`decide`,children:[G(`button`,{type:`button`,onClick:s,disabled:a||!n(`approveKycSubmission`),title:n(`approveKycSubmission`)?void 0:`Your role may not do this`,children:`Approve`}),G(Y,{label:`Reject`,danger:!0,disabled:!n(`rejectKycSubmission`),title:n(`rejectKycSubmission`)?void 0:`Your role may not do this`,run:async n=>{await W(et,{input:{id:e.id,reason:n}}),t()}}),G(K,{error:r})]})]})}function en(){let e=Q(),[t,n]=R(null),[r,i]=R(null),[a,o]=R(0),[s,c]=R({level:`2`,key:``,value:``,description:``}),l=e=>t=>c({...s,[e]:t}),u=()=>o(a+1);z(()=>{W(yt).then(n).catch(i)},[a]);let d=t?.levelJobs.some(e=>e.state===`RUNNING`);return z(()=>{if(!d)return;let e=setTimeout(u,2e3);return()=>clearTimeout(e)},[d,t]),r?G(K,{error:r}):t?G(`section`,{children:[G(`h1`,{children:`Levels`}),G(`table`,{children:[G(`thead`,{children:G(`tr`,{children:[G(`th`,{scope:`col`,children:`Level`}),G(`th`,{scope:`col`,children:`Label key`}),G(`th`,{scope:`col`,children:`Value`}),G(`th`,{scope:`col`,children:`Description`}),G(`th`,{scope:`col`})]})}),G(`tbody`,{children:t.levels.flatMap(t=>t.rules.map(n=>G(`tr`,{children:[G(`td`,{children:t.level}),G(`td`,{children:G(`code`,{children:n.key})}),G(`td`,{children:n.value}),G(`td`,{children:n.description}),G(`td`,{children:e(`removeLevelRule`)&&G(Y,{label:`Remove ${n.key} from level ${t.level}`,danger:!0,run:async e=>{await W(xt,{input:{level:t.level,key:n.key,reason:e}}),u()}})})]},`${t.level}-${n.key}`)))})]}),e(`addLevelRule`)&&G(Y,{label:`Add a level rule`,run:async e=>{await W(bt,{input:{level:Number(s.level),key:s.key.trim(),value:s.value.trim(),description:s.description,reason:e}}),u()},children:[G(q,{label:`Level`,type:`number`,value:s.level,onValue:l(`level`),required:!0}),G(q,{label:`Label key`,value:s.key,onValue:l(`key`),required:!0}),G(q,{label:`Label value`,value:s.value,onValue:l(`value`),required:!0}),G(q,{label:`Description`,value:s.description,onValue:l(`description`)})]}),G(`h2`,{children:`Recomputations`}),t.levelJobs.length===0&&G(`p`,{class:`muted`,children:`None yet.`}),t.levelJobs.length>0&&G(`table`,{children:[G(`thead`,{children:G(`tr`,{children:[G(`th`,{scope:`col`,children:`Started`}),G(`th`,{scope:`col`,children:`Change`}),G(`th`,{scope:`col`,children:`Progress`}),G(`th`,{scope:`col`,children:`Levels changed`}),G(`th`,{scope:`col`,children:`Finished`})]})}),G(`tbody`,{children:t.levelJobs.map(e=>G(`tr`,{children:[G(`td`,{children:X(e.createdAt)}),G(`td`,{children:[e.action,` (from level `,e.minLevel,`)`]}),G(`td`,{children:[G(`progress`,{max:Math.max(e.total,1),value:e.done,"aria-label":`Job ${e.id} progress`}),` `,e.done,`/`,e.total,` `,e.state]}),G(`td`,{children:e.changed}),G(`td`,{children:X(e.finishedAt)})]},e.id))})]})]}):G(Z,{})}var tn={"Last 30 days":{days:30,interval:`DAY`},"Last 90 days":{days:90,interval:`DAY`},"Last 48 hours":{days:2,interval:`HOUR`},"Last 7 days, hourly":{days:7,interval:`HOUR`}},nn=[{title:`Sign-ups`,lines:[{key:`signUps`,label:`Accounts created`,color:`#2563eb`}]},{title:`Sign-ins`,lines:[{key:`signInsSucceeded`,label:`Succeeded`,color:`#16a34a`},{key:`signInsFailed`,label:`Refused`,color:`#dc2626`},{key:`activeUsers`,label:`Active users`,color:`#7c3aed`}]},{title:`One-time codes sent`,lines:[{key:`otpsSent`,label:`Codes sent`,color:`#ea580c`}]},{title:`KYC decisions`,lines:[{key:`kycPending`,label:`Submitted`,color:`#ca8a04`},{key:`kycApproved`,label:`Approved`,color:`#16a34a`},{key:`kycRejected`,label:`Rejected`,color:`#dc2626`}]}];function rn(){let[e,t]=R(`Last 30 days`),[n,r]=R(null),[i,a]=R(null);return z(()=>{let t=tn[e],n=new Date,i=new Date(n.getTime()-t.days*864e5);a(null),W(lt,{from:i.toISOString(),to:n.toISOString(),interval:t.interval}).then(e=>r(e.adminMetrics)).catch(e=>{a(e),r(null)})},[e]),G(`section`,{children:[G(`h1`,{children:`Metrics`}),G(`div`,{class:`filters`,children:G(J,{label:`Range`,value:e,onValue:t,options:Object.keys(tn)})}),G(K,{error:i}),!n&&!i&&G(Z,{}),n&&G(`div`,{class:`charts`,children:nn.map(e=>G(un,{title:e.title,lines:e.lines,series:n.series,totals:n.totals,hourly:n.interval===`HOUR`},e.title))})]})}function an(e){return e%2==0?[0,e/2,e]:[0,e]}var on=560,sn=180,cn=40,ln=10;function un(e){let t=Math.max(1,...e.series.flatMap(t=>e.lines.map(e=>t[e.key]))),n=e.series.length,r=e=>cn+(n<=1?0:e*510/(n-1)),i=e=>ln+142*(1-e/t),a=t=>e.hourly?t.slice(5,13).replace(`T`,` `)+`h`:t.slice(0,10),o=e.lines.map(t=>`${t.label}: ${e.totals[t.key]}`).join(`, `);return G(`figure`,{class:`chart`,children:[G(`figcaption`,{children:[G(`strong`,{children:e.title}),G(`span`,{class:`legend`,children:e.lines.map(t=>G(`span`,{children:[G(`i`,{style:{background:t.color}}),` `,t.label,` (`,e.totals[t.key].toLocaleString(`en`),`)`]},t.key))})]}),G(`svg`,{viewBox:`0 0 ${on} ${sn}`,role:`img`,"aria-label":`${e.title}: ${o}`,children:[G(`title`,{children:`${e.title}: ${o}`}),an(t).map(e=>G(`g`,{children:[G(`line`,{x1:cn,x2:550,y1:i(e),y2:i(e),class:`grid`}),G(`text`,{x:36,y:i(e)+4,"text-anchor":`end`,class:`axis`,children:e.toLocaleString(`en`)})]},e)),n>0&&G(b,{children:[G(`text`,{x:cn,y:172,class:`axis`,children:a(e.series[0].start)}),G(`text`,{x:550,y:172,"text-anchor":`end`,class:`axis`,children:a(e.series[n-1].start)})]}),e.lines.map(t=>G(`polyline`,{fill:`none`,stroke:t.color,"stroke-width":`2`,points:e.series.map((e,n)=>`${r(n).toFixed(1)},${i(e[t.key]).toFixed(1)}`).join(` `)},t.key))]})]})}var dn=[`ANONYMOUS`,`MEMBER`,`SUPPORT`,`COMPLIANCE`,`ACCOUNTANT`,`ADMIN`,`SUPERADMIN`,`PARTNER`],fn=[`ALLOW`,`DENY`,`AUDIT`];function pn(){let e=Q(),[t,n]=R(null),[r,i]=R(null),[a,o]=R(``),[s,c]=R(``),[l,u]=R(0),d=()=>u(l+1);z(()=>{W(it).then(e=>n(e.permissions)).catch(i)},[l]);let f=(t??[]).filter(e=>(!a||e.role===a)&&e.operation.toLowerCase().includes(s.toLowerCase()));return G(`section`,{children:[G(`h1`,{children:`Permissions`}),G(`p`,{class:`muted`,children:`A role may call an operation when one of its rows allows it; DENY wins over AUDIT, AUDIT over ALLOW.`}),G(`div`,{class:`filters`,children:[G(J,{label:`Role`,value:a,onValue:o,options:dn,blank:`Every role`}),G(q,{label:`Operation contains`,value:s,onValue:c})]}),e(`createPermission`)&&G(hn,{done:d}),G(K,{error:r}),!t&&!r&&G(Z,{}),t&&G(`table`,{children:[G(`thead`,{children:G(`tr`,{children:[G(`th`,{scope:`col`,children:`Role`}),G(`th`,{scope:`col`,children:`Operation`}),G(`th`,{scope:`col`,children:`Action`}),G(`th`,{scope:`col`,children:`Changed`}),G(`th`,{scope:`col`,children:`Change`})]})}),G(`tbody`,{children:f.map(e=>G(mn,{r:e,done:d},e.id))})]})]})}function mn({r:e,done:t}){let n=Q(),[r,i]=R(e.action);return G(`tr`,{"data-rule":`${e.role} ${e.operation}`,children:[G(`td`,{children:e.role}),G(`td`,{children:G(`code`,{children:e.operation})}),G(`td`,{children:e.action}),G(`td`,{children:X(e.updatedAt)}),G(`td`,{class:`row-actions`,children:[n(`updatePermission`)&&G(Y,{label:`Edit ${e.role} ${e.operation}`,run:async n=>{await W(ot,{input:{id:e.id,action:r,reason:n}}),t()},children:G(J,{label:`New action`,value:r,onValue:i,options:fn})}),n(`deletePermission`)&&G(Y,{label:`Delete ${e.role} ${e.operation}`,danger:!0,run:async n=>{await W(st,{input:{id:e.id,reason:n}}),t()}})]})]})}function hn({done:e}){let t=Ce(qt),[n,r]=R(`SUPPORT`),[i,a]=R(``),[o,s]=R(`ALLOW`);return G(`div`,{class:`new-rule`,children:G(Y,{label:`Add a rule`,run:async t=>{await W(at,{input:{role:n,operation:i.trim(),action:o,reason:t}}),a(``),e()},children:[G(J,{label:`Rule role`,value:n,onValue:r,options:dn}),G(q,{label:`Rule operation (a field, Type.field, or a prefix ending in *)`,value:i,onValue:a,required:!0,placeholder:[...t][0]}),G(J,{label:`Rule action`,value:o,onValue:s,options:fn})]})})}var gn=[`PENDING_REVIEW`,`DOCUMENT_REQUIRED`,`SELFIE_REQUIRED`,`APPROVED`,`REJECTED`,`COMPLETED`];function _n(){let[e,t]=R(`PENDING_REVIEW`),[n,r]=R([null]),[i,a]=R(null),[o,s]=R(null),[c,l]=R(0),u=n.length-1;return z(()=>{s(null),W(tt,{status:e,first:10,after:n[u]}).then(e=>a(e.pinResets)).catch(e=>{s(e),a(null)})},[e,n,c]),G(`section`,{children:[G(`h1`,{children:`PIN resets`}),G(`div`,{class:`filters`,children:G(J,{label:`Status`,value:e,onValue:e=>{t(e),r([null])},options:gn})}),G(K,{error:o}),!i&&!o&&G(Z,{}),i&&i.edges.length===0&&G(`p`,{children:`No PIN resets here.`}),i?.edges.map(({node:e})=>G(vn,{r:e,done:()=>l(c+1)},e.id)),i&&G(`nav`,{class:`pager`,"aria-label":`Pages`,children:[G(`button`,{type:`button`,disabled:u===0,onClick:()=>r(n.slice(0,-1)),children:`Previous page`}),G(`button`,{type:`button`,disabled:!i.pageInfo.hasNextPage,onClick:()=>r([...n,i.pageInfo.endCursor??null]),children:`Next page`})]})]})}function vn({r:e,done:t}){let n=Q(),[r,i]=R(null),a=async()=>{i(null);try{await W(nt,{input:{id:e.id}}),t()}catch(e){i(e)}};return G(`article`,{class:`submission`,"aria-label":`PIN reset of ${e.user.name||e.user.phone}`,children:[G(`header`,{children:[G(`h2`,{children:G(`a`,{...Lt(`/users/`+e.user.id),children:e.user.name||e.user.phone})}),G(`p`,{children:[e.status,` · asked `,X(e.createdAt),e.decidedAt?` · decided ${X(e.decidedAt)}`:``,e.reason?` · ${e.reason}`:``]}),e.documentUploaded&&G(`p`,{class:`warn`,children:`The document was uploaded during this reset, not approved in KYC: compare it with the user's profile.`})]}),G(`div`,{class:`side-by-side`,children:[G(`figure`,{children:[G(`figcaption`,{children:[`Document`,e.document?` (${e.document.type} ${e.document.number})`:``]}),G($,{file:e.document?.front,alt:`Document`})]}),G(`figure`,{children:[G(`figcaption`,{children:`Selfie`}),G($,{file:e.selfie,alt:`Selfie`})]})]}),e.status===`PENDING_REVIEW`&&G(`div`,{class:`decide`,children:[G(`button`,{type:`button`,onClick:a,disabled:!n(`approvePinReset`),title:n(`approvePinReset`)?void 0:`Your role may not do this`,children:`Approve`}),G(Y,{label:`Reject`,danger:!0,disabled:!n(`rejectPinReset`),title:n(`rejectPinReset`)?void 0:`Your role may not do this`,run:async n=>{await W(rt,{input:{id:e.id,reason:n}}),t()}}),G(K,{error:r})]})]})}function yn(){let[e,t]=R(null),[n,r]=R(null),[i,a]=R(0),o=()=>a(i+1);if(z(()=>{W(ut).then(t).catch(r)},[i]),n)return G(K,{error:n});if(!e)return G(Z,{});let s=e.operatorSettings;return G(`section`,{class:`settings`,children:[G(`h1`,{children:`Settings`}),G(`p`,{class:`muted`,children:[`Last changed `,X(s.updatedAt),`. Clients read these through appConfig.`]}),G(bn,{s,done:o}),G(xn,{s,done:o}),G(Sn,{s,done:o}),G(Cn,{s,done:o}),G(wn,{s,done:o}),G(Tn,{s,done:o}),G(En,{kinds:e.termsKinds,done:o})]})}function bn({s:e,done:t}){let n=Q(),[r,i]=R(e.maintenance.message??``),a=e.maintenance.enabled;return G(b,{children:[G(`h2`,{children:`Maintenance`}),G(`p`,{children:a?`On: “${e.maintenance.message??``}”. Clients are refused with MAINTENANCE; signed-in staff pass.`:`Off.`}),G(Y,{label:a?`End maintenance`:`Start maintenance`,danger:!a,disabled:!n(`setMaintenance`),title:n(`setMaintenance`)?void 0:Jt,run:async e=>{await W(dt,{input:{enabled:!a,message:r,reason:e}}),t()},children:!a&&G(q,{label:`Message to users`,value:r,onValue:i})})]})}function xn({s:e,done:t}){let n=Q(),[r,i]=R({platform:`ANDROID`,minimumVersion:``,currentVersion:``,storeUrl:``,storeAppId:``}),a=e=>t=>i({...r,[e]:t});return G(b,{children:[G(`h2`,{children:`App versions`}),G(`table`,{children:[G(`thead`,{children:G(`tr`,{children:[G(`th`,{scope:`col`,children:`Platform`}),G(`th`,{scope:`col`,children:`Minimum`}),G(`th`,{scope:`col`,children:`Current`}),G(`th`,{scope:`col`,children:`Store URL`}),G(`th`,{scope:`col`,children:`Store app id`})]})}),G(`tbody`,{children:e.appVersions.map(e=>G(`tr`,{children:[G(`td`,{children:e.platform}),G(`td`,{children:e.minimumVersion}),G(`td`,{children:e.currentVersion}),G(`td`,{children:e.storeUrl||`—`}),G(`td`,{children:e.storeAppId||`—`})]},e.platform))})]}),n(`setAppVersion`)&&G(Y,{label:`Set an app version`,run:async e=>{await W(ft,{input:{...r,platform:r.platform,reason:e}}),t()},children:[G(J,{label:`Platform`,value:r.platform,onValue:t=>{let n=e.appVersions.find(e=>e.platform===t);i(n?{...n}:{platform:t,minimumVersion:``,currentVersion:``,storeUrl:``,storeAppId:``})},options:[`ANDROID`,`IOS`,`WEB`]}),G(q,{label:`Minimum version`,value:r.minimumVersion,onValue:a(`minimumVersion`),required:!0}),G(q,{label:`Current version`,value:r.currentVersion,onValue:a(`currentVersion`),required:!0}),G(q,{label:`Store URL`,value:r.storeUrl,onValue:a(`storeUrl`)}),G(q,{label:`Store app id`,value:r.storeAppId,onValue:a(`storeAppId`)})]})]})}function Sn({s:e,done:t}){let n=Q(),[r,i]=R(``),[a,o]=R(``),[s,c]=R(!0);return G(b,{children:[G(`h2`,{children:`Feature flags`}),G(`table`,{children:[G(`thead`,{children:G(`tr`,{children:[G(`th`,{scope:`col`,children:`Flag`}),G(`th`,{scope:`col`,children:`On`}),G(`th`,{scope:`col`,children:`Description`}),G(`th`,{scope:`col`,children:`Change`})]})}),G(`tbody`,{children:e.featureFlags.map(e=>G(`tr`,{"data-flag":e.key,children:[G(`td`,{children:G(`code`,{children:e.key})}),G(`td`,{children:e.enabled?`on`:`off`}),G(`td`,{children:e.description}),G(`td`,{class:`row-actions`,children:[n(`setFeatureFlag`)&&G(Y,{label:`Turn ${e.key} ${e.enabled?`off`:`on`}`,run:async n=>{await W(pt,{input:{key:e.key,enabled:!e.enabled,description:e.description,reason:n}}),t()}}),n(`removeFeatureFlag`)&&G(Y,{label:`Remove ${e.key}`,danger:!0,run:async n=>{await W(mt,{input:{key:e.key,reason:n}}),t()}})]})]},e.key))})]}),n(`setFeatureFlag`)&&G(Y,{label:`Add a flag`,run:async e=>{await W(pt,{input:{key:r.trim(),enabled:s,description:a,reason:e}}),i(``),o(``),t()},children:[G(q,{label:`Flag key`,value:r,onValue:i,required:!0}),G(q,{label:`Flag description`,value:a,onValue:o}),G(Wt,{label:`Flag on`,checked:s,onChecked:c})]})]})}function Cn({s:e,done:t}){let n=Q(),[r,i]=R(String(e.rules.idleTimeSeconds)),[a,o]=R(e.rules.otpLifetimeSeconds==null?``:String(e.rules.otpLifetimeSeconds));return G(b,{children:[G(`h2`,{children:`Client rules`}),G(`p`,{children:[`Idle time `,e.rules.idleTimeSeconds,` s · code lifetime told to clients`,` `,e.rules.otpLifetimeSeconds==null?`the server's (${e.rules.serverOtpLifetimeSeconds} s)`:`${e.rules.otpLifetimeSeconds} s`]}),G(Y,{label:`Change client rules`,disabled:!n(`setClientRules`),title:n(`setClientRules`)?void 0:Jt,run:async e=>{await W(ht,{input:{idleTimeSeconds:Number(r),otpLifetimeSeconds:a===``?null:Number(a),reason:e}}),t()},children:[G(q,{label:`Idle time (seconds)`,type:`number`,value:r,onValue:i,required:!0}),G(q,{label:`Code lifetime told to clients (seconds; empty: the server's)`,type:`number`,value:a,onValue:o})]})]})}function wn({s:e,done:t}){let n=Q(),[r,i]=R(JSON.stringify(e.appContents,null,2)),[a,o]=R(null);return G(b,{children:[G(`h2`,{children:`App contents`}),G(`p`,{class:`muted`,children:`The clients' menu and home layout: a JSON object.`}),G(Y,{label:`Change app contents`,disabled:!n(`setAppContents`),title:n(`setAppContents`)?void 0:Jt,run:async e=>{let n;try{n=JSON.parse(r)}catch(e){throw o(Error(`Not JSON: `+e.message)),Error(`Not JSON: fix the contents first.`)}o(null),await W(gt,{input:{contents:n,reason:e}}),t()},children:[G(Ut,{label:`Contents (JSON object)`,value:r,onValue:i,rows:10}),G(K,{error:a})]}),G(`pre`,{class:`json`,children:JSON.stringify(e.appContents,null,2)})]})}function Tn({s:e,done:t}){let n=Q(),[r,i]=R(e.pushChannels.join(`, `));return G(b,{children:[G(`h2`,{children:`Push channels`}),G(`p`,{children:e.pushChannels.length>0?e.pushChannels.join(`, `):`None.`}),G(Y,{label:`Change push channels`,disabled:!n(`setPushChannels`),title:n(`setPushChannels`)?void 0:Jt,run:async e=>{await W(_t,{input:{channels:r.split(`,`).map(e=>e.trim()).filter(Boolean),reason:e}}),t()},children:G(q,{label:`Channels (comma-separated)`,value:r,onValue:i})})]})}function En({kinds:e,done:t}){let n=Q(),[r,i]=R({kind:`GENERAL`,version:``,title:``,url:``,body:``}),[a,o]=R(!0),s=e=>t=>i({...r,[e]:t});return G(b,{children:[G(`h2`,{children:`Terms`}),G(`table`,{children:[G(`thead`,{children:G(`tr`,{children:[G(`th`,{scope:`col`,children:`Kind`}),G(`th`,{scope:`col`,children:`Users asked`}),G(`th`,{scope:`col`,children:`Current version`}),G(`th`,{scope:`col`,children:`Title`}),G(`th`,{scope:`col`,children:`Published`})]})}),G(`tbody`,{children:e.map(e=>G(`tr`,{children:[G(`td`,{children:G(`code`,{children:e.kind})}),G(`td`,{children:e.askUsers?`yes`:`no`}),G(`td`,{children:e.current?.version??`—`}),G(`td`,{children:e.current?e.current.url?G(`a`,{href:e.current.url,rel:`noopener`,target:`_blank`,children:e.current.title}):e.current.title:`—`}),G(`td`,{children:X(e.current?.publishedAt)})]},e.kind))})]}),n(`publishTerms`)&&G(Y,{label:`Publish terms`,run:async e=>{await W(vt,{input:{...r,kind:r.kind.trim().toUpperCase(),askUsers:a,reason:e}}),t()},children:[G(q,{label:`Kind (e.g. GENERAL, PRIVACY, or a new one)`,value:r.kind,onValue:s(`kind`),required:!0}),G(q,{label:`Version`,value:r.version,onValue:s(`version`),required:!0}),G(q,{label:`Title`,value:r.title,onValue:s(`title`),required:!0}),G(q,{label:`Link to the full text`,value:r.url,onValue:s(`url`)}),G(Ut,{label:`Text`,value:r.body,onValue:s(`body`),required:!0}),G(Wt,{label:`Ask users to accept it`,checked:a,onChecked:o})]})]})}function Dn({onSignedIn:e}){let[t,n]=R({kind:`password`}),[r,i]=R(``),[a,o]=R(``),[s,c]=R(``),[l,u]=R(!1),[d,f]=R(null),p=t=>{Ot(t),e(t)};return G(`main`,{class:`signin`,children:[G(`h1`,{children:`Gatehouse staff console`}),G(`form`,{onSubmit:async e=>{e.preventDefault(),u(!0),f(null);try{if(t.kind===`code`){let e={challengeId:t.challengeId,code:s.trim()};p(t.via===`pin`?(await W(Re,{input:e})).verifyDeviceSignIn:(await W(Le,{input:e})).verifySignIn);return}let e={deviceId:Et(),deviceName:`Staff console`},i=t.kind===`pin`?(await W(Ie,{input:{phone:r.trim(),pin:a,...e}})).signInWithPin:(await W(Fe,{input:{username:r.trim(),password:a,...e}})).signIn;if(i.status===`SIGNED_IN`&&i.auth)return p(i.auth);if(i.challenge){let e=i.challenge.channel===`TOTP`?`Enter the code your authenticator app shows.`:`Enter the code sent by ${i.challenge.channel.toLowerCase()} to ${i.challenge.destination}.`;o(``),c(``),n({kind:`code`,challengeId:i.challenge.id,via:t.kind,hint:e});return}f(Error(`This account cannot sign in here (it has no PIN yet): set one up in the app first.`))}catch(e){f(e)}finally{u(!1)}},"aria-label":`Sign in`,children:[t.kind===`code`?G(b,{children:[G(`p`,{children:t.hint}),G(q,{label:`Code`,name:`code`,value:s,onValue:c,autoComplete:`one-time-code`,inputMode:`numeric`,required:!0})]}):G(b,{children:[G(`div`,{class:`tabs`,role:`group`,"aria-label":`Sign in with`,children:[G(`button`,{type:`button`,"aria-pressed":t.kind===`password`,onClick:()=>n({kind:`password`}),children:`Password`}),G(`button`,{type:`button`,"aria-pressed":t.kind===`pin`,onClick:()=>n({kind:`pin`}),children:`Phone and PIN`})]}),G(q,{label:t.kind===`pin`?`Phone`:`Email or phone`,name:`username`,value:r,onValue:i,autoComplete:`username`,required:!0}),G(q,{label:t.kind===`pin`?`PIN`:`Password`,name:`secret`,type:`password`,value:a,onValue:o,autoComplete:`current-password`,inputMode:t.kind===`pin`?`numeric`:void 0,required:!0})]}),G(`button`,{type:`submit`,disabled:l,children:t.kind===`code`?`Verify`:`Sign in`}),t.kind===`code`&&G(`button`,{type:`button`,onClick:()=>n({kind:t.via}),children:`Start again`}),G(K,{error:d})]})]})}var On=[`MEMBER`,`SUPPORT`,`COMPLIANCE`,`ACCOUNTANT`,`ADMIN`,`SUPERADMIN`,`PARTNER`],kn=[`PENDING`,`ACTIVE`,`LOCKED`,`BANNED`,`DELETED`],An=[`NONE`,`PENDING`,`APPROVED`,`REJECTED`],jn=25,Mn={id:``,email:``,phone:``,name:``,role:``,state:``,levelMin:``,levelMax:``,country:``,kycStatus:``,labelKey:``,labelValue:``,createdFrom:``,createdTo:``,documentsPending:``,order:`CREATED_AT`,direction:`DESC`};function Nn(e){let t={};return e.id.trim()&&(t.id=e.id.trim()),e.email.trim()&&(t.email=e.email.trim()),e.phone.trim()&&(t.phone=e.phone.trim()),e.name.trim()&&(t.name=e.name.trim()),e.role&&(t.role=e.role),e.state&&(t.state=e.state),e.levelMin!==``&&(t.levelMin=Number(e.levelMin)),e.levelMax!==``&&(t.levelMax=Number(e.levelMax)),e.country.trim()&&(t.country=e.country.trim().toUpperCase()),e.kycStatus&&(t.kycStatus=e.kycStatus),e.labelKey.trim()&&(t.label={key:e.labelKey.trim(),value:e.labelValue.trim()||null}),e.createdFrom&&(t.createdFrom=new Date(e.createdFrom+`T00:00:00Z`).toISOString()),e.createdTo&&(t.createdTo=new Date(e.createdTo+`T00:00:00Z`).toISOString()),e.documentsPending&&(t.documentsPending=e.documentsPending===`yes`),t}function Pn(){let[e,t]=R(Mn),[n,r]=R(Mn),[i,a]=R([null]),[o,s]=R(null),[c,l]=R(null),[u,d]=R(!1),f=n=>r=>t({...e,[n]:r}),p=i.length-1,m=Q();return z(()=>{let e=!0;return d(!0),l(null),W(He,{filter:Nn(n),orderBy:{field:n.order,direction:n.direction},first:jn,after:i[p],kyc:m(`User.kycStatus`)}).then(t=>e&&s(t.users)).catch(t=>e&&(l(t),s(null))).finally(()=>e&&d(!1)),()=>{e=!1}},[n,i]),G(`section`,{children:[G(`h1`,{children:`Users`}),G(`form`,{class:`filters`,onSubmit:t=>{t.preventDefault(),r(e),a([null])},"aria-label":`Filter users`,children:[G(q,{label:`Name`,value:e.name,onValue:f(`name`)}),G(q,{label:`Email starts with`,value:e.email,onValue:f(`email`)}),G(q,{label:`Phone starts with`,value:e.phone,onValue:f(`phone`)}),G(q,{label:`User id`,value:e.id,onValue:f(`id`)}),G(J,{label:`Role`,value:e.role,onValue:f(`role`),options:On,blank:`Any`}),G(J,{label:`State`,value:e.state,onValue:f(`state`),options:kn,blank:`Any`}),G(J,{label:`KYC status`,value:e.kycStatus,onValue:f(`kycStatus`),options:An,blank:`Any`}),G(J,{label:`Documents pending`,value:e.documentsPending,onValue:f(`documentsPending`),options:[`yes`,`no`],blank:`Either`}),G(q,{label:`Level at least`,type:`number`,value:e.levelMin,onValue:f(`levelMin`)}),G(q,{label:`Level at most`,type:`number`,value:e.levelMax,onValue:f(`levelMax`)}),G(q,{label:`Country (ISO code)`,value:e.country,onValue:f(`country`)}),G(q,{label:`Label key`,value:e.labelKey,onValue:f(`labelKey`)}),G(q,{label:`Label value`,value:e.labelValue,onValue:f(`labelValue`)}),G(q,{label:`Created from`,type:`date`,value:e.createdFrom,onValue:f(`createdFrom`)}),G(q,{label:`Created before`,type:`date`,value:e.createdTo,onValue:f(`createdTo`)}),G(J,{label:`Order by`,value:e.order,onValue:f(`order`),options:[`CREATED_AT`,`LAST_SIGN_IN`,`NAME`]}),G(J,{label:`Direction`,value:e.direction,onValue:f(`direction`),options:[`DESC`,`ASC`]}),G(`div`,{class:`actions`,children:[G(`button`,{type:`submit`,children:`Search`}),G(`button`,{type:`button`,onClick:()=>{t(Mn),r(Mn),a([null])},children:`Clear`})]})]}),G(K,{error:c}),u&&!o&&G(Z,{}),o&&G(b,{children:[G(`p`,{class:`count`,children:[o.totalCount.toLocaleString(`en`),o.totalCountExact?``:`+`,` users match · page `,p+1]}),G(`table`,{children:[G(`thead`,{children:G(`tr`,{children:[G(`th`,{scope:`col`,children:`Name`}),G(`th`,{scope:`col`,children:`Email`}),G(`th`,{scope:`col`,children:`Phone`}),G(`th`,{scope:`col`,children:`Role`}),G(`th`,{scope:`col`,children:`State`}),G(`th`,{scope:`col`,children:`Level`}),G(`th`,{scope:`col`,children:`KYC`}),G(`th`,{scope:`col`,children:`Country`}),G(`th`,{scope:`col`,children:`Created`}),G(`th`,{scope:`col`,children:`Last sign-in`})]})}),G(`tbody`,{children:o.edges.map(({node:e})=>G(`tr`,{children:[G(`td`,{children:G(`a`,{...Lt(`/users/`+e.id),children:e.name||e.email||e.phone||`(no name)`})}),G(`td`,{children:e.email??`—`}),G(`td`,{children:e.phone??`—`}),G(`td`,{children:e.role}),G(`td`,{children:e.state}),G(`td`,{children:e.level}),G(`td`,{children:e.kycStatus??`—`}),G(`td`,{children:e.countryCode||`—`}),G(`td`,{children:X(e.createdAt)}),G(`td`,{children:X(e.lastSignInAt)})]},e.id))})]}),G(`nav`,{class:`pager`,"aria-label":`Pages`,children:[G(`button`,{type:`button`,disabled:p===0||u,onClick:()=>a(i.slice(0,-1)),children:`Previous page`}),G(`button`,{type:`button`,disabled:!o.pageInfo.hasNextPage||u,onClick:()=>a([...i,o.pageInfo.endCursor??null]),children:`Next page`})]})]})]})}var Fn=[{path:`/users`,title:`Users`,op:`users`},{path:`/kyc`,title:`KYC review`,op:`kycSubmissions`},{path:`/pin-resets`,title:`PIN resets`,op:`pinResets`},{path:`/permissions`,title:`Permissions`,op:`permissions`},{path:`/admin-activities`,title:`Admin activities`,op:`adminActivities`},{path:`/metrics`,title:`Metrics`,op:`adminMetrics`},{path:`/settings`,title:`Settings`,op:`operatorSettings`},{path:`/levels`,title:`Levels`,op:`levelJobs`}];function In(){let[e,t]=R(null),[n,r]=R(new Set),[i,a]=R(At()),[o,s]=R(null),c=It(),l=async()=>{try{let e=await W(Ve);t(e.me??null),r(new Set(e.myPermissions))}catch(e){s(e)}};if(z(()=>{Dt(()=>{t(null),r(new Set)}),At()&&Nt().then(e=>e?l():void 0).finally(()=>a(!1))},[]),i)return G(Z,{});if(!e)return G(b,{children:[G(Dn,{onSignedIn:e=>{s(null),t(e.user),l()}}),G(K,{error:o})]});let u=Fn.filter(e=>n.has(e.op)),d=async()=>{try{await W(Be)}catch{}kt(),t(null),r(new Set)},f,p=c.path.match(/^\/users\/([^/]+)$/);if(p&&n.has(`user`))f=G(Yt,{id:decodeURIComponent(p[1])});else{let t=u.find(e=>e.path===c.path);t?f={"/users":G(Pn,{}),"/kyc":G(Qt,{}),"/pin-resets":G(_n,{}),"/permissions":G(pn,{}),"/admin-activities":G(Kt,{}),"/metrics":G(rn,{}),"/settings":G(yn,{}),"/levels":G(en,{})}[t.path]:u.length>0&&c.path===`/`?(queueMicrotask(()=>Ft(u[0].path)),f=G(Z,{})):f=u.length===0?G(`p`,{children:[`Your role (`,e.role,`) has no console pages.`]}):G(`p`,{children:`Not a page, or not one your role may open.`})}return G(qt.Provider,{value:n,children:[G(`a`,{class:`skip`,href:`#main`,children:`Skip to content`}),G(`header`,{class:`top`,children:[G(`strong`,{children:`Gatehouse`}),G(`nav`,{"aria-label":`Pages`,children:u.map(e=>G(`a`,{...Lt(e.path),"aria-current":c.path.startsWith(e.path)?`page`:void 0,children:e.title},e.path))}),G(`span`,{class:`me`,children:[e.name||e.email||e.phone,` · `,e.role]}),G(`button`,{type:`button`,onClick:d,children:`Sign out`})]}),G(`main`,{id:`main`,tabIndex:-1,children:[G(K,{error:o}),f]})]})}P(G(In,{}),document.getElementById(`app`));